/*
 * Organizations and people (store-registry.c): the agencies and the people
 * who hold tokens.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* Which fields of an update are given; for create every given one is set. */
enum {
	FIELD_NAME = 1 << 0,
	FIELD_PARENT = 1 << 1,
	FIELD_TAX_CODE = 1 << 2,
	FIELD_ADDRESS = 1 << 3,
	FIELD_EMAIL = 1 << 4,
	FIELD_ID_NUMBER = 1 << 5,
	FIELD_BIRTH_DATE = 1 << 6,
	FIELD_POSITION = 1 << 7,
	FIELD_ORGANIZATION = 1 << 8,
	FIELD_PHONE = 1 << 9,
	/* 0020's details */
	FIELD_SEX = 1 << 10,
	FIELD_BIRTH_PLACE = 1 << 11,
	FIELD_ID_ISSUED_ON = 1 << 12,
	FIELD_ID_ISSUED_BY = 1 << 13,
	FIELD_FAX = 1 << 14,
	FIELD_MANAGING_BODY = 1 << 15,
	FIELD_MANAGER = 1 << 16,
};

/* Validated, normalized values; NULL text or 0 id clears a field. */
struct org_fields {
	unsigned set;
	const char *name, *tax_code, *address, *email;
	const char *managing_body;	/* when it is not in the registry (parent_id) */
	int64_t parent_id;
	int64_t manager_id;		/* the person managing its certificate */
};

struct person_fields {
	unsigned set;
	const char *full_name, *id_number, *birth_date, *position, *email, *phone;
	const char *sex;		/* "male" or "female" */
	const char *birth_place, *id_issued_on, *id_issued_by, *address, *fax;
	int64_t organization_id;
};

int store_org_create(struct store *s, const struct org_fields *f, int64_t *id);
int store_org_update(struct store *s, int64_t id, const struct org_fields *f);
/* An organization: its columns, its managing_body, and its manager_id with
 * the person's name as manager_name. */
int store_org_get(struct store *s, int64_t id, json_object **out);
/* By id; PAGE of them (store.h; NULL: all). */
int store_org_list(struct store *s, struct store_page *page, json_object **out);
/* Whether making PARENT the parent of ID would close a loop. */
int store_org_would_cycle(struct store *s, int64_t id, int64_t parent, bool *cycle);

int store_person_create(struct store *s, const struct person_fields *f, int64_t *id);
int store_person_update(struct store *s, int64_t id, const struct person_fields *f);
/* A person: their columns and details (sex, birth_place, id_issued_on,
 * id_issued_by, address, fax), their organization's name, their logins. */
int store_person_get(struct store *s, int64_t id, json_object **out);
/* The people of ORG (0: everyone), by id; PAGE of them (store.h; NULL:
 * all). */
int store_person_list(struct store *s, int64_t org, struct store_page *page,
		      json_object **out);
