/* The records of the registers khoa print makes: see print-registers.h. */
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "print-registers.h"
#include "print.h"
#include "table.h"

/* ----- the language of the paper ----- */

/* glibc's count of message catalogues: bumped, gettext forgets the
 * translations it has looked up, so that a new LANGUAGE takes effect (the
 * GNU gettext manual, "Being a gettext grok"). */
extern int _nl_msg_cat_cntr;

struct language {
	char *language;		/* LANGUAGE as it was; NULL: unset */
	char *messages;		/* LC_MESSAGES as it was */
};

/* The papers are Vietnamese whatever the user reads on the terminal: the
 * forms are the regulation's words, and a register filed with them says
 * its events in the same language (the Vietnamese of the one table of
 * sentences, event.c). Until language_back(WAS). */
static void
vietnamese(struct language *was)
{
	const char *language = getenv("LANGUAGE"), *messages = setlocale(LC_MESSAGES, NULL);

	*was = (struct language){ language ? strdup(language) : NULL,
				  messages ? strdup(messages) : NULL };
	if ((language && !was->language) || (messages && !was->messages))
		die_oom();
	setenv("LANGUAGE", "vi", 1);
	/* gettext ignores LANGUAGE under the "C" locale (language.c) */
	if (messages && (strcmp(messages, "C") == 0 || strcmp(messages, "POSIX") == 0))
		setlocale(LC_MESSAGES, "C.UTF-8");
	_nl_msg_cat_cntr++;
}

static void
language_back(struct language *was)
{
	if (was->language)
		setenv("LANGUAGE", was->language, 1);
	else
		unsetenv("LANGUAGE");
	if (was->messages)
		setlocale(LC_MESSAGES, was->messages);
	_nl_msg_cat_cntr++;
	free(was->language);
	free(was->messages);
}

/* ----- the token a register is about ----- */

/* Token SERIAL's label into REC, and with NAMES its holder and custodian,
 * as khoad knows them; the organization that holds it (or its holder's)
 * heads the paper (HEADER). Nothing when khoad cannot say. */
static void
token_facts(struct client *cl, const char *serial, json_object *rec, json_object *header,
	    bool names)
{
	json_object *params = param_new(), *answer;

	param_str(params, "serial", serial);
	answer = client_lookup(cl, "io.khoa.Tokens.Get", params);
	json_object *token = jobj(answer, "token"), *reg = jobj(token, "registration");
	json_object *holder = jobj(reg, "holder");
	if (*jstr(token, "label"))
		param_str(rec, "label", jstr(token, "label"));
	if (names && *jstr(holder, "name"))
		param_str(rec, "holder", jstr(holder, "name"));
	if (names && *jstr(reg, "custodian"))
		param_str(rec, "custodian", jstr(reg, "custodian"));
	int64_t org = 0;
	if (strcmp(jstr(holder, "kind"), "organization") == 0) {
		org = jint(holder, "id");
	} else if (strcmp(jstr(holder, "kind"), "person") == 0) {
		json_object *p = param_new(), *person;
		param_int(p, "id", jint(holder, "id"));
		person = client_lookup(cl, "io.khoa.People.Get", p);
		org = jint(jobj(person, "person"), "organization_id");
		json_object_put(person);
	}
	if (header && org > 0)
		print_org_header(cl, org, header);
	json_object_put(answer);
}

/* The organization that holds token SERIAL, or 0. */
static int64_t
token_organization(struct client *cl, const char *serial)
{
	json_object *params = param_new(), *answer;
	param_str(params, "serial", serial);
	answer = client_lookup(cl, "io.khoa.Tokens.Get", params);
	json_object *holder = jobj(jobj(jobj(answer, "token"), "registration"), "holder");
	int64_t org = strcmp(jstr(holder, "kind"), "organization") == 0 ? jint(holder, "id") : 0;
	json_object_put(answer);
	return org;
}

static void
put(json_object *obj, const char *key, json_object *value)
{
	if (!value || json_object_object_add(obj, key, value) < 0)
		die_oom();
}

/* ----- the registers ----- */

json_object *
register_history(struct client *cl, const char *serial, json_object *answer,
		 json_object *header)
{
	json_object *rec = param_new(), *events = jarr(answer, "events");
	struct language was;
	char said[2048];

	param_str(rec, "serial", serial);
	token_facts(cl, serial, rec, header, true);
	vietnamese(&was);
	for (size_t i = 0; events && i < json_object_array_length(events); i++) {
		json_object *ev = json_object_array_get_idx(events, i);
		param_str(ev, "sentence", event_sentence(ev, said, sizeof(said)));
	}
	language_back(&was);
	put(rec, "events", events ? json_object_get(events) : json_object_new_array());
	return rec;
}

json_object *
register_custody(struct client *cl, json_object *answer, json_object *header)
{
	json_object *rec = NULL;

	if (json_object_deep_copy(answer, &rec, NULL) < 0)
		die_oom();
	/* who holds it is the answer's own: the chain's last receiver */
	token_facts(cl, jstr(answer, "serial"), rec, header, false);
	return rec;
}

/* The local calendar day of the ISO time ISO as yyyymmdd, or 0. */
static long
local_day(const char *iso)
{
	time_t t;
	struct tm tm;
	if (!format_parse_iso(iso, &t) || !localtime_r(&t, &tm))
		return 0;
	return (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static long
day_of(const struct khoa_datetime *d)
{
	return d ? (long)d->year * 10000 + d->month * 100 + d->day : 0;
}

json_object *
register_seal(struct client *cl, json_object *answer, const struct khoa_datetime *from,
	      const struct khoa_datetime *to, json_object *header)
{
	json_object *all = jarr(answer, "entries"), *entries = json_object_new_array();
	json_object *rec = param_new();
	size_t n = all ? json_object_array_length(all) : 0;
	int64_t org = -1, last_org = 0;
	const char *last = NULL;	/* the token last looked up, LAST_ORG's */
	char day[KHOA_DATE_ISO_SIZE];

	if (!entries)
		die_oom();
	/* SealLog is newest first; a register book, oldest first */
	for (size_t i = n; i-- > 0;) {
		json_object *e = json_object_array_get_idx(all, i);
		long out = local_day(jstr(e, "out_at"));
		if ((from && out < day_of(from)) || (to && out > day_of(to)))
			continue;
		if (json_object_array_add(entries, json_object_get(e)) < 0)
			die_oom();
		/* headed by the agency whose seal it is, when there is one */
		if (org != 0) {
			const char *serial = jstr(e, "token_serial");
			if (!last || strcmp(last, serial) != 0)
				last_org = token_organization(cl, serial);
			last = serial;
			org = org == -1 || org == last_org ? last_org : 0;
		}
	}
	if (from) {
		khoa_date_iso(from, day);
		param_str(rec, "from", day);
	}
	if (to) {
		khoa_date_iso(to, day);
		param_str(rec, "to", day);
	}
	put(rec, "entries", entries);
	if (header && org > 0)
		print_org_header(cl, org, header);
	return rec;
}
