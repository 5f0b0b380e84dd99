/*
 * Events (io.khoa.Events.Event) for people, one sentence each: who did what
 * to which token, and the details that matter (the handover and its
 * parties, the seal's purpose and due time, the request and its step, the
 * PIN tried and by whom), translated. khoa history, khoa watch, khoa tray
 * and the papers of khoa print history say every event with them.
 */
#pragma once

#include <stddef.h>
#include <json-c/json.h>

/* "24/11/2026 20:28", local time. */
const char *event_time(json_object *ev, char *buf, size_t size);

/* The user whose call caused it, or "khoad" for what the daemon did or saw
 * of itself. */
const char *event_actor(json_object *ev);

/* The sentence, into BUF (which it returns): "root checked token 1A2B out
 * to Trần Văn Đức for “Ký công văn 123”, due back 05/12/2026 10:30.". A
 * type this khoa does not know says its name, who, which token and its
 * details as "key: value", never JSON. */
const char *event_sentence(json_object *ev, char *buf, size_t size);
