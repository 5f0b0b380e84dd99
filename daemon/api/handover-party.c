/*
 * The parties of a handover (internal/handovers.h, handover_party()): a
 * person or an organization of the registry, filled from its record, or a
 * party typed in full (name, agency, address, representative, position),
 * each text validated; with either, the introduction letter and the ID card
 * (number, date and place of issue) its representative showed to receive
 * the tokens (R-HANDOVER, Điều 9: "xuất trình giấy giới thiệu và Chứng minh
 * thư nhân dân"), when given.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "handovers.h"
#include "jsonb.h"
#include "message.h"
#include "method-util.h"
#include "store-registry.h"
#include "validate.h"

static const char *const party_text_keys[] = {
	"name", "agency", "address", "representative", "position", "introduction_letter",
	"id_number", "id_issued_on", "id_issued_by", NULL
};

static bool
party_shape_ok(json_object *in)
{
	json_object_object_foreach(in, key, val) {
		bool id = strcmp(key, "person_id") == 0 || strcmp(key, "organization_id") == 0;
		bool text = false;
		for (const char *const *k = party_text_keys; *k; k++)
			text |= strcmp(key, *k) == 0;
		if (!val)
			continue;
		if (!(id && json_object_is_type(val, json_type_int)) &&
		    !(text && json_object_is_type(val, json_type_string)))
			return false;
	}
	return true;
}

/* The texts of a party: from the registry's record where it has them (a
 * NULL slot: typed by the caller, validated). */
struct party_texts {
	const char *agency, *address, *representative, *position;
};

/* An ID card number, as a person's (validate_id_number: CMND or CCCD), or
 * none. */
static int
validate_card(const char *in, char **out, const char **rule)
{
	*out = NULL;
	*rule = NULL;
	if (!in || !*in)
		return 0;
	return validate_id_number(in, NULL, out, rule);
}

static int
party_texts(struct call *c, struct jsonb *b, json_object *in, const struct party_texts *from,
	    const char *field)
{
	static const struct {
		const char *key;
		int (*validate)(const char *in, char **out, const char **rule);
	} keys[] = {
		{ "agency", validate_text },
		{ "address", validate_text },
		{ "representative", validate_text },
		{ "position", validate_text },
		{ "introduction_letter", validate_text },
		{ "id_number", validate_card },
		{ "id_issued_on", validate_issue_date },
		{ "id_issued_by", validate_text },
	};
	/* the letter and the ID card are what was shown: typed, never the
	 * registry's */
	const char *const registry[] = { from->agency, from->address, from->representative,
					 from->position, NULL, NULL, NULL, NULL };
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		const char *rule = NULL;
		char *v = NULL;
		int r;
		if (registry[i]) {
			jsonb_str(b, keys[i].key, registry[i]);
			continue;
		}
		if ((r = keys[i].validate(khoa_json_str(in, keys[i].key), &v, &rule)) < 0)
			return field_fail(c, r, field, rule);
		jsonb_str(b, keys[i].key, v);
		free(v);
	}
	return 0;
}

/* The party named by a record: {person_id} or {organization_id}. */
static int
party_of_record(struct call *c, struct khoad *d, json_object *in, bool person, int64_t id,
		const char *field, struct jsonb *b)
{
	json_object *rec;
	int r = person ? store_person_get(d->store, id, &rec) : store_org_get(d->store, id, &rec);
	if (r == -ENOENT)
		return call_fail(c, person ? khoa_err_no_such_person(id)
					   : khoa_err_no_such_organization(id));
	if (r < 0)
		return r;
	jsonb_int(b, person ? "person_id" : "organization_id", id);
	jsonb_str(b, "name", khoa_json_str(rec, person ? "full_name" : "name"));
	struct party_texts from = { 0 };
	if (person) {
		from.agency = khoa_json_str(rec, "organization_name");
		from.position = khoa_json_str(rec, "position");
		/* the address the person's record keeps, when it does (else
		 * typed); an ID card only as shown at the handover, typed */
		from.address = khoa_json_str(rec, "address");
	} else {
		from.address = khoa_json_str(rec, "address");
	}
	r = party_texts(c, b, in, &from, field);
	json_object_put(rec);
	return r;
}

int
handover_party(struct call *c, struct khoad *d, json_object *in, const char *field,
	       json_object **out)
{
	json_object *pid = NULL, *oid = NULL;
	struct jsonb b = jsonb_new();
	const char *rule = NULL;
	char *name = NULL;
	int r;

	*out = NULL;
	json_object_object_get_ex(in, "person_id", &pid);
	json_object_object_get_ex(in, "organization_id", &oid);
	if (!party_shape_ok(in) || (pid && oid))
		r = invalid_field(c, field, KR(PARTY));
	else if (pid || oid)
		r = party_of_record(c, d, in, pid != NULL, json_object_get_int64(pid ? pid : oid),
				    field, &b);
	else if ((r = validate_name(khoa_json_str(in, "name"), &name, &rule)) < 0)
		r = field_fail(c, r, field, rule);
	else {
		jsonb_str(&b, "name", name);
		r = party_texts(c, &b, in, &(struct party_texts){ 0 }, field);
	}
	free(name);
	json_object *party = jsonb_finish(&b);
	if (r != 0) {
		json_object_put(party);
		return r;
	}
	return (*out = party) ? 0 : -ENOMEM;
}

