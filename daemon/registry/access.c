/* Who may do what to which record (access.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-login.h>

#include "access.h"
#include "log.h"
#include "roles.h"
#include "store-access.h"

/* The person LOGIN names, as the registry said it this generation: each
 * call asks (the roles and the scope hang on it), and on a shared registry
 * asking is a round trip to the server (Tokens.List: 2.5 times SQLite's
 * time, bench/province.sh). 0, -ENOENT: none; the registry's errors. */
static int
login_person(struct khoad *d, const char *login, int64_t *person, int64_t *org, bool *clerk)
{
	struct login_seen *seen = d->logins_seen, *slot = &seen[0];
	for (size_t i = 0; i < KHOAD_LOGINS_SEEN; i++) {
		if (seen[i].generation == d->registry_generation && strcmp(seen[i].user, login) == 0) {
			*person = seen[i].person;
			*org = seen[i].organization;
			*clerk = seen[i].clerk;
			return *person ? 0 : -ENOENT;
		}
		if (seen[i].generation < slot->generation || !*seen[i].user)
			slot = &seen[i];
	}
	int r = store_login_person(d->store, login, person, org, clerk);
	/* A shared registry's connection found broken: made again at the next
	 * read (store.h), which is this one's second try. */
	if (r == -ENOTCONN)
		r = store_login_person(d->store, login, person, org, clerk);
	if ((r == 0 || r == -ENOENT) && strlen(login) < sizeof(slot->user)) {
		*slot = (struct login_seen){ .person = r == 0 ? *person : 0, .organization = *org,
					     .clerk = *clerk, .generation = d->registry_generation };
		strcpy(slot->user, login);
	}
	return r;
}

int
access_caller(struct khoad *d, const struct peer *peer, struct caller *out)
{
	int64_t org = 0;
	bool clerk = false;

	memset(out, 0, sizeof(*out));
	out->pid = peer->pid;
	out->uid = peer->uid;
	out->roles = roles_of(d->roles, peer);
	out->n_clerk_of = roles_clerk_of(d->roles, peer, out->clerk_of, ACCESS_ORGS_MAX);
	/* A login only names a person for a caller the system knows by name. */
	if (strcmp(peer->user, "") != 0) {
		int r = login_person(d, peer->user, &out->person, &org, &clerk);
		/* Away: the caller is their groups' roles alone, and what needs
		 * the registry says it is away. */
		if (r < 0 && r != -ENOENT && r != -ENOTCONN)
			return r;
	}
	if (clerk && org && out->n_clerk_of < ACCESS_ORGS_MAX)
		out->clerk_of[out->n_clerk_of++] = org;
	return 0;
}

/* ORG and those above it into S. */
static int
add_org(struct khoad *d, int64_t org, struct scope *s)
{
	size_t n;
	if (!org)
		return 0;
	if (!s->org)
		s->org = org;
	int r = store_org_chain(d->store, org, s->orgs + s->n_orgs, ACCESS_ORGS_MAX - s->n_orgs, &n);
	s->n_orgs += n;
	return r;
}

int
access_subject_org(struct khoad *d, int64_t org, struct scope *out)
{
	memset(out, 0, sizeof(*out));
	int r = add_org(d, org, out);
	out->known = out->n_orgs > 0;
	return r;
}

/* PERSON (and their organization) into S; -ENOENT when none. */
static int
add_person(struct khoad *d, int64_t person, struct scope *s)
{
	int64_t org;
	int r = store_person_org(d->store, person, &org);
	if (r < 0)
		return r;
	return add_org(d, org, s);
}

int
access_subject_person(struct khoad *d, int64_t person, struct scope *out)
{
	memset(out, 0, sizeof(*out));
	int r = add_person(d, person, out);
	if (r == -ENOENT)
		return 0;
	out->known = r == 0;
	out->person = person;
	return r;
}

int
access_subject_token(struct khoad *d, const char *serial, struct scope *out)
{
	struct token_parties t;

	memset(out, 0, sizeof(*out));
	snprintf(out->token, sizeof(out->token), "%s", serial);
	int r = store_token_parties(d->store, serial, &t);
	if (r == -ENOENT)
		return 0;	/* never seen: its handler answers UnknownToken */
	if (r < 0)
		return r;
	out->known = true;
	out->unregistered = !t.registered;
	out->person = t.person;
	out->custodian = t.custodian;
	return add_org(d, t.organization, out);
}

static int
subject_handover(struct khoad *d, int64_t id, struct scope *out)
{
	int64_t persons[2], orgs[2];
	int r = store_handover_parties(d->store, id, persons, orgs);
	if (r == -ENOENT)
		return 0;
	out->known = r == 0;
	for (int i = 0; r == 0 && i < 2; i++) {
		r = persons[i] ? add_person(d, persons[i], out) : add_org(d, orgs[i], out);
		if (r == -ENOENT)
			r = 0;
	}
	return r;
}

int
access_subject(struct khoad *d, enum subject_kind kind, int64_t id, int64_t id2,
	       const char *text, struct scope *out)
{
	char serial[sizeof(out->token)];
	int64_t person, org;
	int r;

	memset(out, 0, sizeof(*out));
	switch (kind) {
	case SUBJECT_NONE:
		return 0;
	case SUBJECT_TOKEN:
		return text ? access_subject_token(d, text, out) : 0;
	case SUBJECT_PERSON:
		return access_subject_person(d, id, out);
	case SUBJECT_ORG:
		if (id == 0) {
			out->known = true;	/* the whole registry: no clerk's */
			return 0;
		}
		return access_subject_org(d, id, out);
	case SUBJECT_HOLDER:
		if (id > 0)
			return access_subject_person(d, id, out);
		if (id2 > 0)
			return access_subject_org(d, id2, out);
		return text ? access_subject_token(d, text, out) : 0;
	case SUBJECT_PIN_REQUEST:
		r = store_pin_request_serial(d->store, id, serial, sizeof(serial));
		return r == -ENOENT ? 0 : r < 0 ? r : access_subject_token(d, serial, out);
	case SUBJECT_REQUEST:
		if ((r = store_request_subject(d->store, id, &person, &org)) < 0)
			return r == -ENOENT ? 0 : r;
		if ((r = add_org(d, org, out)) < 0)
			return r;
		out->known = true;
		out->person = person;
		return 0;
	case SUBJECT_HANDOVER:
		return subject_handover(d, id, out);
	}
	return -EINVAL;
}

/* The active session of the seat: the caller's process belongs to a
 * session of its own uid that is active on a seat (logind), as pcscd's
 * polkit policy admits a local user. */
static bool
at_seat(const struct caller *c)
{
	char *session = NULL, *seat = NULL;
	uid_t uid;
	bool yes = false;

	if (sd_pid_get_session(c->pid, &session) >= 0 &&
	    sd_session_get_uid(session, &uid) >= 0 && uid == c->uid &&
	    sd_session_is_active(session) > 0 && sd_session_get_seat(session, &seat) >= 0)
		yes = true;
	free(session);
	free(seat);
	return yes;
}

static bool
clerk_of(const struct caller *c, const struct scope *s)
{
	for (size_t i = 0; i < c->n_clerk_of; i++)
		for (size_t j = 0; j < s->n_orgs; j++)
			if (c->clerk_of[i] == s->orgs[j])
				return true;
	return false;
}

unsigned
access_relations(const struct caller *c, const struct scope *s)
{
	unsigned r = ADMIT_ANYONE;

	if (c->roles & ROLE_TECHNICIAN)
		r |= ADMIT_TECHNICIAN;
	if (c->roles & ROLE_ADMIN)
		r |= ADMIT_ADMIN;
	/* A clerk by [roles] alone has no organization yet: as before scopes. */
	if ((c->roles & ROLE_CLERK) || (s && clerk_of(c, s)))
		r |= ADMIT_CLERK;
	if (!s)
		return r;
	if (c->person && s->person == c->person)
		r |= ADMIT_SELF;
	if (c->person && s->custodian == c->person)
		r |= ADMIT_CUSTODIAN;
	return r;
}

bool
access_admits(const struct caller *c, unsigned admit, const struct scope *s)
{
	unsigned have = access_relations(c, s);

	if ((admit & ADMIT_ANYONE) || (have & ADMIT_ADMIN) || (have & admit))
		return true;
	return (admit & ADMIT_SEAT) && s && s->unregistered && at_seat(c);
}

bool
access_sees_personal(const struct caller *c, const struct scope *s)
{
	return access_relations(c, s) & (ADMIT_SELF | ADMIT_CLERK | ADMIT_TECHNICIAN | ADMIT_ADMIN);
}

unsigned
access_roles_for(const struct caller *c, const struct scope *s)
{
	unsigned roles = c->roles & ~(unsigned)ROLE_CLERK;
	if (access_relations(c, s) & ADMIT_CLERK)
		roles |= ROLE_CLERK;
	return roles;
}

bool
access_may_ever(const struct caller *c, unsigned admit)
{
	if (admit & (ADMIT_ANYONE | ADMIT_SELF | ADMIT_CUSTODIAN | ADMIT_SEAT))
		return true;
	if ((admit & ADMIT_CLERK) && ((c->roles & ROLE_CLERK) || c->n_clerk_of))
		return true;
	return access_relations(c, NULL) & (admit | ADMIT_ADMIN);
}

const char *
access_needed(struct khoad *d, unsigned admit, const struct scope *s, char *scope, size_t size)
{
	scope[0] = '\0';
	if ((admit & ADMIT_CLERK) && s && s->org) {
		if (store_org_name(d->store, s->org, scope, size) < 0 || !scope[0])
			snprintf(scope, size, "organization %lld", (long long)s->org);
		return "clerk";
	}
	if ((admit & ADMIT_SELF) && s && s->token[0]) {
		snprintf(scope, size, "%s", s->token);
		return "holder";
	}
	if (admit & ADMIT_CLERK)
		return "clerk";
	if (admit & ADMIT_TECHNICIAN)
		return "technician";
	return "admin";
}
