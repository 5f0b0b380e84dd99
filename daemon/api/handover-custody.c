/*
 * Who may give a token on a handover (internal/handovers.h): the token's
 * state as a device (device-state.h) and its custody (R-CUSTODY, Điều
 * 13.2; R-SO-DUTIES, Điều 12), asked where a row is added, where minutes
 * are drawn from the desk and again at Finalize (issue 16).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "device-state.h"
#include "errors.h"
#include "handovers.h"
#include "message.h"
#include "rules.h"
#include "store-custody.h"
#include "store-handovers.h"

/* Whether handover ID's giver may give token SERIAL by a row of REASON
 * (R-CUSTODY, Điều 13.2; R-SO-DUTIES, Điều 12; issue 16): the giver holds
 * it now, the receiving party of its latest custody link (or, that party
 * an agency, a person of it), leaving out the links of the handover ID
 * corrects (its giver gave it then). A token nothing moved yet is given by
 * the profile's department (Sở TT&TT) when it is a new issue; otherwise by
 * anyone (a token in use before its first handover was recorded). 0: yes;
 * 1: no, *ERROR the RuleViolation; or a negative errno. */
static int
custody_guard(struct khoad *d, int64_t id, const char *serial, const char *reason,
	      json_object **error)
{
	json_object *h = NULL, *custody = NULL, *chain, *giver;
	const char *holder = NULL;
	int64_t handover = 0, corrects;
	int r;

	*error = NULL;
	if ((r = store_handover_get(d->store, id, &h)) < 0)
		return r;
	if ((r = store_custody_get(d->store, serial, &custody)) < 0) {
		json_object_put(h);
		return r == -ENOENT ? 0 : r;
	}
	corrects = khoa_json_int(h, "supersedes");
	if (json_object_object_get_ex(custody, "chain", &chain))
		for (size_t i = json_object_array_length(chain); i-- > 0 && !holder;) {
			json_object *link = json_object_array_get_idx(chain, i);
			if (corrects && khoa_json_int(link, "handover_id") == corrects)
				continue;
			holder = khoa_json_str(link, "to");
			handover = khoa_json_int(link, "handover_id");
		}
	bool has_giver = json_object_object_get_ex(h, "giver", &giver);
	const char *name = has_giver ? khoa_json_str(giver, "name") : NULL;
	const char *agency = has_giver ? khoa_json_str(giver, "agency") : NULL;
	const char *department = d->rules->department;
	size_t dl = strlen(department);
	if (!holder && name && reason && strcmp(reason, "new-issue") == 0 &&
	    strncmp(name, department, dl) != 0 && !(agency && strncmp(agency, department, dl) == 0)) {
		char number[24];
		snprintf(number, sizeof(number), "%lld", (long long)id);
		*error = khoa_err_rule_violation("R-CUSTODY", KR(CUSTODY_NEW_ISSUE),
						 (const char *[]){ department, number, name }, 3);
		r = *error ? 1 : -ENOMEM;
	}
	/* a person of the agency that holds it gives it on its behalf */
	if (holder && name && strcmp(holder, name) != 0 && !(agency && strcmp(holder, agency) == 0)) {
		char held_by[24], number[24];
		snprintf(held_by, sizeof(held_by), "%lld", (long long)handover);
		snprintf(number, sizeof(number), "%lld", (long long)id);
		*error = khoa_err_rule_violation("R-CUSTODY", KR(CUSTODY_HELD),
						 (const char *[]){ serial, holder, held_by, number,
								   name }, 5);
		r = *error ? 1 : -ENOMEM;
	}
	json_object_put(custody);
	json_object_put(h);
	return r;
}

int
handover_may_give(struct khoad *d, int64_t id, const char *serial, const char *reason,
		  json_object **error)
{
	int r = device_state_guard(d, serial, "handover", reason, error);
	return r != 0 ? r : custody_guard(d, id, serial, reason, error);
}
