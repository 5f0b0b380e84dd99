/*
 * Certificate requests as the forms of Mẫu 01–06 want them (forms/forms.h):
 * each with what the registry knows besides — its person, its organization
 * (or the person's), the manager of an organization's certificate (by the
 * newest Mẫu 08 decision, else by the organization's record), the
 * certificate's Subject when its token is present — looked up in khoad.
 * A lookup that fails leaves the member out: the form prints dotted lines.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "client.h"

struct request_lookup {
	struct client *cl;
	json_object *changes;	/* io.khoa.Managers.List, fetched once */
	bool fetched;
};

/* Adds "person", "organization", "manager" and "certificate_subject" to
 * REQUEST (an io.khoa.Requests Request) where khoad knows them. */
void request_enrich(struct request_lookup *lk, json_object *request);

/* Frees what LK keeps. */
void request_lookup_end(struct request_lookup *lk);

/* The organization whose name heads REQUEST's form: the organization it is
 * for, or its person's; 0 when none is known (call after request_enrich). */
int64_t request_organization(json_object *request);
