/*
 * Mẫu 09's fields on the terminal (khoa pin-request new, issue 17): the
 * table of the form's fields, what the registry will fill as far as the
 * client can tell, each missing field asked and checked as it is typed by
 * khoad's own rules (validate.h), a field khoad still refuses asked again
 * alone, and the answers offered to the person's record afterwards.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

struct client;

/* How an answer to the prompts is checked as it is typed: by khoad's own
 * rules (validate.h), those of daemon/api/pin-request-form.c. */
enum answer_check {
	CHECK_DEVICE,	/* read from the token, never typed */
	CHECK_NAME,
	CHECK_TEXT,
	CHECK_SEX,
	CHECK_DATE,
	CHECK_ISSUED,	/* not before the birth date */
	CHECK_ID_NUMBER,	/* its year that of the birth date */
	CHECK_PHONE,
	CHECK_EMAIL,
};

/* The fields of Mẫu 09, in the form's order. OPTION: how khoa pin-request
 * new takes it (NULL: read from the token, never typed). KEPT: the person
 * record keeps it under the same name (io.khoa.People), so an answer may be
 * saved there. */
struct form_field {
	const char *field;
	const char *label;
	const char *option;
	bool date;
	enum answer_check check;
	bool kept;
};

extern const struct form_field pin_form_fields[];
extern const size_t pin_form_n_fields;

/* What the registry will give the form, as far as the client can tell (to
 * ask only for the rest), and whose record it is. */
struct pin_form_holder {
	json_object *known;	/* form fields the registry fills ("?": withheld) */
	json_object *answer;	/* People.Get's, for a person holder (else NULL) */
	int64_t person;		/* the holder, when a person */
	bool may_update;	/* the caller may keep answers in their record */
};

/* What the registry knows of token SERIAL's holder into *H. */
void pin_form_known(struct client *cl, const char *serial, struct pin_form_holder *h);
void pin_form_holder_clear(struct pin_form_holder *h);

/* On a terminal: asks for each field of the form that neither the command
 * line (FIELDS) nor the registry (KNOWN) gives, Enter to skip; false when
 * the input ended. */
bool pin_form_ask_missing(json_object *fields, json_object *known);

/* Files the request: PARAMS with FIELDS. On a terminal (ASK), a field
 * khoad refuses is asked again, it alone, and the request filed again with
 * the others as they were. The exit status, *ANSWER on success. */
int pin_form_file(struct client *cl, json_object *params, json_object *fields, bool ask,
		  json_object **answer);

/* After filing on a terminal: the answers the person record lacks (FORM's
 * values, as khoad checked them), offered to be kept there, when the caller
 * may change the record. */
void pin_form_offer_to_keep(struct client *cl, const struct pin_form_holder *h,
			    json_object *fields, json_object *form);
