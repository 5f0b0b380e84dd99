/*
 * The registers khoa print makes beside the forms (forms/forms.h: a token's
 * history, its chain of custody, the seal register), as khoa-print takes
 * them: khoad's answer with what the paper needs besides, looked up in
 * khoad; a lookup that fails leaves a member out. Each also fills HEADER
 * (may be NULL) with the organization that heads the paper, when one does.
 */
#pragma once

#include <json-c/json.h>

#include "client.h"
#include "date.h"

/* Token SERIAL's io.khoa.Tokens.History ANSWER as the history register: its
 * label, holder and custodian, and each event with its "sentence" in
 * Vietnamese, the words of khoa history (event.h), whatever the user's
 * language: the paper is Vietnamese, as every form. A new record; the
 * events of ANSWER are shared with it. */
json_object *register_history(struct client *cl, const char *serial, json_object *answer,
			      json_object *header);

/* io.khoa.Custody.Get's ANSWER with the token's label: a new record. */
json_object *register_custody(struct client *cl, json_object *answer, json_object *header);

/* The seal register: the entries of io.khoa.Custody.SealLog's ANSWER
 * (every page) checked out on a local day from FROM to TO (each may be
 * NULL: unbounded), oldest first, with "from" and "to". A new record. */
json_object *register_seal(struct client *cl, json_object *answer,
			   const struct khoa_datetime *from, const struct khoa_datetime *to,
			   json_object *header);
