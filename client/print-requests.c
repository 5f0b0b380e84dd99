/*
 * What the forms of certificate requests print besides the request itself,
 * looked up in the registry: the person (io.khoa.People), the organization
 * (io.khoa.Organizations), the newest manager of an organization's
 * certificate (io.khoa.Managers), the certificate's Subject as read from
 * its token (io.khoa.Tokens).
 */
#include <string.h>

#include "format.h"
#include "options.h"
#include "print-requests.h"
#include "table.h"

/* The object MEMBER of the answer to METHOD(id: ID), a new reference, or
 * NULL. */
static json_object *
fetch(struct client *cl, const char *method, int64_t id, const char *member)
{
	json_object *params = param_new(), *answer, *v = NULL;

	param_int(params, "id", id);
	answer = client_lookup(cl, method, params);
	if (answer && json_object_object_get_ex(answer, member, &v) &&
	    json_object_is_type(v, json_type_object))
		json_object_get(v);
	else
		v = NULL;
	json_object_put(answer);
	return v;
}

/* Adds VALUE (taken) as KEY of OBJ. */
static void
put(json_object *obj, const char *key, json_object *value)
{
	if (json_object_object_add(obj, key, value) < 0) {
		json_object_put(value);
		die_oom();
	}
}

/* The person managing organization ORG's certificate now: the new manager
 * of its newest change (io.khoa.Managers, a Mẫu 08 decision), else the one
 * its record names (ORG_REC's manager_id), or 0. */
static int64_t
manager_of(struct request_lookup *lk, int64_t org, json_object *org_rec)
{
	json_object *newest = NULL, *list;

	if (!lk->fetched) {
		lk->changes = client_lookup_pages(lk->cl, "io.khoa.Managers.List", param_new(),
						  "changes");
		lk->fetched = true;
	}
	list = jarr(lk->changes, "changes");
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		json_object *c = json_object_array_get_idx(list, i);
		int order;
		if (jint(c, "organization_id") != org ||
		    strcmp(jstr(c, "certificate_kind"), "organization") != 0)
			continue;
		order = newest ? strcmp(jstr(c, "effective_on"), jstr(newest, "effective_on")) : 1;
		if (order > 0 || (order == 0 && jint(c, "id") > jint(newest, "id")))
			newest = c;
	}
	return newest ? jint(newest, "new_person_id") : jint(org_rec, "manager_id");
}

/* The Subject of certificate SERIAL on token TOKEN when it is present. */
static void
add_subject(struct request_lookup *lk, json_object *req, const char *token, const char *serial)
{
	json_object *params = param_new(), *answer, *certs;

	param_str(params, "serial", token);
	answer = client_lookup(lk->cl, "io.khoa.Tokens.Get", params);
	certs = jarr(json_object_object_get(answer, "token"), "certificates");
	for (size_t i = 0; certs && i < json_object_array_length(certs); i++) {
		json_object *c = json_object_array_get_idx(certs, i), *s;
		if (strcmp(jstr(c, "serial"), serial) != 0 || !*jstr(c, "subject"))
			continue;
		if (!(s = json_object_new_string(jstr(c, "subject"))))
			die_oom();
		put(req, "certificate_subject", s);
		break;
	}
	json_object_put(answer);
}

void
request_enrich(struct request_lookup *lk, json_object *req)
{
	bool org_subject = strcmp(jstr(req, "subject_kind"), "organization") == 0;
	int64_t org = 0, manager;
	json_object *v;

	if (!org_subject && jint(req, "person_id") > 0 &&
	    (v = fetch(lk->cl, "io.khoa.People.Get", jint(req, "person_id"), "person"))) {
		org = jint(v, "organization_id");
		put(req, "person", v);
	}
	if (org_subject)
		org = jint(req, "organization_id");
	json_object *org_rec = NULL;
	if (org > 0 && (org_rec = fetch(lk->cl, "io.khoa.Organizations.Get", org, "organization")))
		put(req, "organization", org_rec);
	if (org_subject && org > 0 && (manager = manager_of(lk, org, org_rec)) > 0 &&
	    (v = fetch(lk->cl, "io.khoa.People.Get", manager, "person")))
		put(req, "manager", v);
	if (strcmp(jstr(req, "kind"), "revoke") == 0 && *jstr(req, "token_serial") &&
	    *jstr(req, "certificate_serial"))
		add_subject(lk, req, jstr(req, "token_serial"), jstr(req, "certificate_serial"));
}

void
request_lookup_end(struct request_lookup *lk)
{
	json_object_put(lk->changes);
	lk->changes = NULL;
	lk->fetched = false;
}

int64_t
request_organization(json_object *req)
{
	json_object *v = NULL;

	if (strcmp(jstr(req, "subject_kind"), "organization") == 0)
		return jint(req, "organization_id");
	json_object_object_get_ex(req, "person", &v);
	return jint(v, "organization_id");
}
