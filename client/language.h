/*
 * The user's language for messages (gettext, domain "khoa"), set up the
 * same way by khoa and by its print helper: Vietnamese shows as text, not
 * escapes, even on a machine without any locale set, and LANGUAGE=vi is
 * enough to ask for it there.
 */
#pragma once

void language_setup(void);
