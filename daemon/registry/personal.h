/*
 * Personal data is need-to-know (DESIGN.md, "Who may do what"): ID card
 * numbers and their issue, sex, birth dates and places, phone and fax
 * numbers and a person's address go only to the person themself, the clerk
 * of their organization (or of one above it), technicians and admins
 * (access_sees_personal). Everyone else gets the same records without those
 * fields, absent rather than empty, and a "withheld" array naming them.
 *
 * This file knows which fields of which record are personal (one table, in
 * personal.c) and leaves them out of the records of a reply for a caller
 * who may not see them. Names, positions, agencies, e-mail addresses (the
 * certificate's Subject shows them to every reader of the tokens), serials,
 * states and dates are not personal: everybody reads them. An
 * organization's address and tax code are the agency's, not a person's.
 *
 * The handlers of api/ hand each record of a reply to a view made for the
 * call's caller; the watchers of io.khoa.Events ask the same of each
 * event, per watcher. Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "access.h"
#include "khoad.h"

/* The records that carry personal fields (proto/: the types named). */
enum personal_record {
	PERSONAL_PERSON,	/* io.khoa.People.Person; a person.* event's details */
	PERSONAL_FORM,		/* io.khoa.PinRequests.Form (Mẫu 09) */
	PERSONAL_PARTY,		/* io.khoa.Handovers.Party: a person, or typed in full */
	PERSONAL_REPRESENTATIVE, /* the same of an organization: its representative's
				 * ID card */
};

/* Whether NAME is a personal field of a record of KIND. */
bool personal_field(enum personal_record kind, const char *name);

/* The name of the I-th personal field of KIND, NULL past the last. */
const char *personal_field_name(enum personal_record kind, size_t i);

/*
 * Leaves every personal field of KIND out of REC and names them all in its
 * "withheld" array, whether or not REC had a value for them (so that it had
 * one is not told either). 0, or -ENOMEM (REC has lost its personal fields
 * anyway).
 */
int personal_withhold(json_object *rec, enum personal_record kind);

/*
 * What one caller may see, over one reply: the verdicts are kept by whom
 * they concern (a person's organization, a token, a handover), so that a
 * list costs a look-up per organization or token, not one per row, and none
 * at all for a caller who sees everyone's (technician, admin) or only their
 * own (no clerkship).
 */
struct personal_view {
	struct khoad *d;
	const struct caller *caller;
	bool all;		/* sees everyone's personal data */
	json_object *seen;	/* verdicts made: key → bool (NULL: none yet) */
};

void personal_view_init(struct personal_view *v, struct khoad *d, const struct caller *c);
void personal_view_end(struct personal_view *v);

/*
 * The records of replies as the view's caller may see them, changed in
 * place (so never a record shared with an event). 0, or a negative errno
 * (the store's, -ENOMEM): the reply must then not be sent.
 *
 * A person: by whom it is (its "id", its "organization_id"). A PIN-recovery
 * request: its form by the token's holder (access_subject_token). A
 * handover: each party that is not an organization by that person, or, for
 * one typed in full, by the handover's parties; an organization's
 * representative's ID card as one typed in full. PERSONAL_EACH applies FN to
 * each element of the array LIST.
 */
int personal_person(struct personal_view *v, json_object *person);
int personal_pin_request(struct personal_view *v, json_object *request);
int personal_handover(struct personal_view *v, json_object *handover);
int personal_each(struct personal_view *v, json_object *list,
		  int (*fn)(struct personal_view *v, json_object *rec));

/*
 * Events. Whether EVENT's details carry personal fields (those of a
 * person.* event are the person's record); only such an event needs a
 * look at who watches.
 */
bool personal_in_event(json_object *event);

/* Whom such an EVENT concerns: the person of its details. 0, or a negative
 * errno; an empty scope (only those who see everyone's) when none. */
int personal_event_scope(struct khoad *d, json_object *event, struct scope *out);

/* A copy of EVENT without its details' personal fields; NULL when out of
 * memory. */
json_object *personal_event_withheld(json_object *event);

/* EVENT, a record of a reply (a stored event, not shared), as the view's
 * caller may see it: its details without the personal fields when not. */
int personal_event(struct personal_view *v, json_object *event);
