/*
 * A token's place in the registry (its "registration" object) for people:
 * who holds it, their agency, and whether it still carries the certificates
 * bound to it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include <libsmartcols.h>

/* TOKEN's holder for a table: "Nguyễn Thị Hường", "[org] Văn phòng…"
 * (translated marker), or "—" when it is not registered. */
const char *registration_holder(json_object *token, char *buf, size_t size);

/* The holder's name, "" when not registered; *organization tells whether
 * the holder is an organization rather than a person. */
const char *registration_holder_name(json_object *token, bool *organization);

/* The holder's organization, or "" . */
const char *registration_agency(json_object *token);

/* The token carries other certificates than the ones bound to it. */
bool registration_mismatch(json_object *token);

/* The "Label: value" lines of TOKEN's registration. */
void registration_fields(struct libscols_table *tb, json_object *token);
