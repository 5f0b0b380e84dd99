/* A token's state as a device (device-state.h). */
#include <errno.h>
#include <string.h>

#include "device-state.h"
#include "errors.h"

/* Who may take a change is the method table's (api/incidents.c): the
 * holder, the custodian, the agency's clerk and a technician report a loss
 * or damage; a technician clears, takes back and retires. */
static const struct device_change changes[] = {
	{ "lost", { "in-use", NULL }, "lost", "token.lost" },
	{ "damaged", { "in-use", "lost", NULL }, "damaged", "token.damaged" },
	{ "found", { "lost", NULL }, "in-use", "token.recovered" },
	{ "returned", { "in-use", "damaged", NULL }, "returned", "token.returned" },
	{ "retired", { "in-use", "lost", "damaged", "returned", NULL }, "retired",
	  "token.retired" },
	{ "reused", { "returned", NULL }, "in-use", "token.reused" },
};

const struct device_change *
device_change_named(const char *action)
{
	for (size_t i = 0; action && i < sizeof(changes) / sizeof(changes[0]); i++)
		if (strcmp(changes[i].action, action) == 0)
			return &changes[i];
	return NULL;
}

bool
device_change_allowed(const struct device_change *ch, const struct device_state *state)
{
	if (strcmp(ch->action, "found") == 0 && !state->seen_at[0])
		return false;	/* not seen on a device since it was lost */
	for (const char *const *f = ch->from; *f; f++)
		if (strcmp(*f, state->state) == 0)
			return true;
	return false;
}

const char *
device_state_shown(const struct device_state *state)
{
	return strcmp(state->state, "lost") == 0 && state->seen_at[0] ? "found" : state->state;
}

int
device_state_guard(struct khoad *d, const char *serial, const char *action, const char *reason,
		   json_object **error)
{
	struct device_state st;
	int r;

	*error = NULL;
	if ((r = store_device_state(d->store, serial, &st)) < 0)
		return r;
	const char *state = st.state;
	bool allowed = strcmp(state, "in-use") == 0 ||
		       /* a returned token is issued again by a handover from Sở TT&TT */
		       (strcmp(state, "returned") == 0 && strcmp(action, "handover") == 0) ||
		       /* a damaged one goes back to be revoked (Điều 13.4) */
		       (strcmp(state, "damaged") == 0 && strcmp(action, "handover") == 0 && reason &&
			strcmp(reason, "revocation-return") == 0);
	if (allowed)
		return 0;
	*error = khoa_err_token_state(serial, device_state_shown(&st), st.since, action);
	return *error ? 1 : -ENOMEM;
}
