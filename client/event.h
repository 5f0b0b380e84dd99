/*
 * Events (io.khoa.Events.Event) for people: when, what, by whom, and a short
 * rendering of the details, shared by khoa history and khoa watch.
 */
#pragma once

#include <stddef.h>
#include <json-c/json.h>

/* "24/11/2026 20:28", local time. */
const char *event_time(json_object *ev, char *buf, size_t size);

/* What happened, translated: "plugged in", "registered to Nguyễn Thị Hường"…;
 * the type itself when it is not one khoa knows. */
const char *event_what(json_object *ev, char *buf, size_t size);

/* The user whose call caused it, or "khoad" for what the daemon saw. */
const char *event_actor(json_object *ev);

/* The details worth a glance ("" when none): certificate serials expected
 * and found, a PIN state, a name; else the details as compact JSON. */
const char *event_details(json_object *ev, char *buf, size_t size);
