/*
 * khoad's log: one line per event on stderr. Under systemd (JOURNAL_STREAM
 * set) each line starts with its syslog priority, "<3>", which journald reads.
 * Never log a PIN or anything a caller sent verbatim.
 */
#pragma once

#include <stdbool.h>

void log_set_verbose(bool verbose);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
