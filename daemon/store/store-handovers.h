/*
 * Handovers and manager changes (store-handovers.c): Mẫu 10 and Mẫu 08.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* A handover being drafted. GIVER and RECEIVER are Party objects
 * (borrowed) with a "name". */
struct handover_new {
	const char *place;		/* NULL: none */
	const char *held_at;		/* NULL: now */
	json_object *giver, *receiver;
	int64_t supersedes;		/* 0: none */
	struct actor creator;
};

/* A row as added; NULL text: unknown. */
struct handover_row {
	const char *token_serial, *holder_name, *certificate_serial;
	const char *valid_from, *valid_to, *reason, *note;
	bool verified_on_device;
};

/* What the registry knows of token SERIAL for a row: its holder's name
 * (NULL when unregistered), and its certificate (the bound one, else the
 * first seen). Strings malloc'd or NULL; store_token_facts_clear() frees. */
struct token_facts {
	char *holder_name;
	char *cert_sha256;	/* set only when the certificate is bound */
	char *cert_serial, *cert_cn, *not_before, *not_after;
};
void store_token_facts_clear(struct token_facts *f);
/* -ENOENT when the registry has never seen SERIAL. */
int store_token_facts(struct store *s, const char *serial, struct token_facts *out);

int store_handover_create(struct store *s, const struct handover_new *h, int64_t *id);

/* Whether handover ID is finalized, and whom it supersedes / is superseded
 * by (0: none); -ENOENT when there is none. */
int store_handover_info(struct store *s, int64_t id, bool *finalized, int64_t *supersedes,
			int64_t *superseded_by);

/* Appends a row numbered after the last; -EEXIST when the token is in the
 * handover already. */
int store_handover_add_row(struct store *s, int64_t id, const struct handover_row *row);

/* Deletes draft ID and its rows (issue 17: a draft drawn by mistake); the
 * audit trail and the event keep that it was. -ENOENT when ID is no draft;
 * -EBUSY when a manager change (Mẫu 08) drew it: *BY its id. */
int store_handover_cancel(struct store *s, int64_t id, int64_t *by);

/* Removes row NUMBER and renumbers the rows after it; -ENOENT if none. */
int store_handover_remove_row(struct store *s, int64_t id, int64_t number);

/* Draft → finalized by ACTOR; -ENOENT when ID is not a draft. */
int store_handover_finalize(struct store *s, int64_t id, const struct actor *actor);

/* The protocol's Handover object; -ENOENT when there is none. */
int store_handover_get(struct store *s, int64_t id, json_object **out);

/* Handovers, newest first (by id); only those with a row of SERIAL when
 * non-NULL; PAGE of them (store.h; NULL: all). */
int store_handover_list(struct store *s, const char *serial, struct store_page *page,
			json_object **out);

/* A decision changing a certificate's manager (Mẫu 08). */
struct manager_change_new {
	int64_t organization_id;
	const char *certificate_kind, *registered_name, *token_serial;
	int64_t old_person_id, new_person_id;
	const char *old_position, *new_position;
	const char *effective_on, *decision_number;
	int64_t handover_id;
	struct actor creator;
};

int store_manager_change_create(struct store *s, const struct manager_change_new *m,
				int64_t *id);
/* The protocol's Change object; -ENOENT when there is none. */
int store_manager_change_get(struct store *s, int64_t id, json_object **out);
/* Every change, newest first (by id); PAGE of them (store.h; NULL: all). */
int store_manager_change_list(struct store *s, struct store_page *page, json_object **out);
