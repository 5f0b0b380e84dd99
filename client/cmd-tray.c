/*
 * khoa tray: runs in a user's session and tells the user when the PIN of a
 * token they hold runs low on tries, reaches its final try or locks (then
 * how to file Mẫu 09), and how their PIN-recovery requests progress; and
 * when a certificate on it comes near its expiry (whether it can still be
 * renewed, Điều 5.1), expires, is renewed or revoked. What an event did is
 * told in its own sentence (event.h), as khoa history and khoa watch say
 * it, followed by what to do.
 *
 * khoad does not know which person a session's user is, so "the tokens the
 * user holds" are the ones named with --serial, or else every token present
 * (at the start, or plugged in later). Notices go to the desktop through
 * org.freedesktop.Notifications on the user's bus (notify.h); without one
 * (or with --no-notify) they are printed, one line each.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "event.h"
#include "format.h"
#include "i18n.h"
#include "notify.h"
#include "options.h"
#include "pin-common.h"
#include "table.h"

#define RETRY_MIN_S 2		/* first wait before reaching khoad again */
#define RETRY_MAX_S 60

static const struct param_option tray_options[] = {
	{ "serial", "serials", OPTION_LIST, NC_("metavar", "SERIAL"),
	  N_("watch this token (repeatable); without it, every token present or plugged in "
	     "later"), OPTION_OPTIONAL },
	{ "no-notify", "no_notify", OPTION_FLAG, NULL,
	  N_("print the notices, never to the desktop"), OPTION_OPTIONAL },
	{ NULL }
};

struct tray {
	struct client *cl;
	json_object *tokens;	/* serial → { "label", "state" } of the tokens watched */
	bool every_token;	/* no --serial: every token present is watched */
	struct notifier *desktop;	/* NULL with --no-notify: print only */
	int64_t last_event;	/* the cursor: the last event seen or read past */
	bool have_cursor;	/* the states are read and the cursor taken before */
};

/* ----- telling the user ----- */

static void
notice(struct tray *t, const char *when, const char *summary, const char *body, bool critical)
{
	if (t->desktop && notifier_show(t->desktop, summary, body, critical))
		return;
	printf("%s  %s\n", when, body);
	fflush(stdout);
}

/* ----- the tokens watched ----- */

static json_object *
token_entry(struct tray *t, const char *serial)
{
	json_object *e = NULL;
	json_object_object_get_ex(t->tokens, serial, &e);
	return e;
}

static void
watch_token(struct tray *t, const char *serial, const char *label)
{
	json_object *e = token_entry(t, serial);
	if (!e) {
		e = param_new();
		if (json_object_object_add(t->tokens, serial, e) < 0)
			die_oom();
	}
	if (label && *label)
		param_str(e, "label", label);
}

/* "SERIAL (label)", or "SERIAL" when the label is not known. */
static const char *
token_name(struct tray *t, const char *serial, char *buf, size_t size)
{
	const char *label = jstr(token_entry(t, serial), "label");
	if (*label)
		snprintf(buf, size, "%s (%s)", serial, label);
	else
		snprintf(buf, size, "%s", serial);
	return buf;
}

/* The news in a PIN state: STATE now, BEFORE as it was ("" when unknown). */
static void
pin_notice(struct tray *t, const char *when, const char *serial, const char *state,
	   const char *before)
{
	char name[256], body[1024], hint[256];

	if (strcmp(state, before) == 0)
		return;
	token_name(t, serial, name, sizeof(name));
	if (strcmp(state, "locked") == 0) {
		snprintf(body, sizeof(body), _("The PIN of token %s is locked. %s"), name,
			 pin_recovery_hint(hint, sizeof(hint), serial));
		notice(t, when, _("Token PIN locked"), body, true);
	} else if (strcmp(state, "final_try") == 0) {
		snprintf(body, sizeof(body), _("Token %s has one PIN try left: one more wrong PIN "
					       "locks it. If the PIN is forgotten, do not guess: "
					       "khoa pin-request new %s"), name, serial);
		notice(t, when, _("Token PIN: one try left"), body, true);
	} else if (strcmp(state, "count_low") == 0 && strcmp(before, "final_try") != 0 &&
		   strcmp(before, "locked") != 0) {
		snprintf(body, sizeof(body), _("A wrong PIN was typed for token %s: it has few tries "
					       "left before it locks."), name);
		notice(t, when, _("Token PIN: tries low"), body, false);
	} else if (strcmp(state, "to_be_changed") == 0) {
		snprintf(body, sizeof(body), _("The PIN of token %s must be changed: "
					       "khoa pin change %s"), name, serial);
		notice(t, when, _("Token PIN"), body, false);
	} else if (strcmp(before, "locked") == 0) {
		snprintf(body, sizeof(body), _("The PIN of token %s is no longer locked."), name);
		notice(t, when, _("Token PIN"), body, false);
	}
}

/* The state an io.khoa.Tokens TokenFlags object stands for, as io.khoa.Pin
 * names it: the most urgent first. */
static const char *
state_of_flags(json_object *flags)
{
	if (!flags)
		return "";
	if (jbool(flags, "user_pin_locked"))
		return "locked";
	if (jbool(flags, "user_pin_final_try"))
		return "final_try";
	if (jbool(flags, "user_pin_count_low"))
		return "count_low";
	if (jbool(flags, "user_pin_to_be_changed"))
		return "to_be_changed";
	return "ok";
}

/* Reads every watched token's PIN state; tells what changed since it was
 * last known (at the start: any state that is not ok). */
static int
check_states(struct tray *t)
{
	json_object *answer;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	int r = client_call(t->cl, "io.khoa.Pin.Status", NULL, &answer);
	if (r != EXIT_OK)
		return r;
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%d/%m/%Y %H:%M", &tm);
	json_object *tokens = jarr(answer, "tokens");
	for (size_t i = 0; tokens && i < json_object_array_length(tokens); i++) {
		json_object *s = json_object_array_get_idx(tokens, i);
		const char *serial = jstr(s, "serial");
		if (t->every_token)
			watch_token(t, serial, NULL);
		json_object *e = token_entry(t, serial);
		if (!e)
			continue;
		watch_token(t, serial, jstr(s, "label"));
		const char *before = jstr(e, "state");
		pin_notice(t, when, serial, jstr(s, "state"), *before ? before : "ok");
		param_str(e, "state", jstr(s, "state"));
	}
	json_object_put(answer);
	return EXIT_OK;
}

/* ----- certificates ----- */

/* A certificate of a watched token near or past its expiry: C is an
 * io.khoa.Expiry Certificate or the details of certificate.expiring or
 * .expired (the same keys). */
static void
expiry_notice(struct tray *t, const char *when, const char *serial, json_object *c)
{
	char name[256], body[1024], buf[32];
	long long left = (long long)jint(c, "days_left");
	const char *day = format_date(jstr(c, "not_after"), false, buf, sizeof(buf));

	token_name(t, serial, name, sizeof(name));
	if (left <= 0) {
		snprintf(body, sizeof(body), _("Certificate %s on token %s expired on %s: it no "
					       "longer signs. Ask for a new one: khoa request new "
					       "new --person ID"), jstr(c, "serial"), name, day);
		notice(t, when, _("Certificate expired"), body, true);
	} else if (jbool(c, "renewal_possible")) {
		snprintf(body, sizeof(body), ngettext(
			"Certificate %s on token %s expires on %s, in %lld day. Ask for its "
			"renewal while at least 60 days remain: khoa request new renew %s",
			"Certificate %s on token %s expires on %s, in %lld days. Ask for its "
			"renewal while at least 60 days remain: khoa request new renew %s",
			(unsigned long)left), jstr(c, "serial"), name, day, left, serial);
		notice(t, when, _("Certificate expiring"), body, false);
	} else {
		/* TRANSLATORS: the last %s is the rule that forbids renewal. */
		snprintf(body, sizeof(body), ngettext(
			"Certificate %s on token %s expires on %s, in %lld day, and can no longer "
			"be renewed (%s): ask for a new certificate in time.",
			"Certificate %s on token %s expires on %s, in %lld days, and can no longer "
			"be renewed (%s): ask for a new certificate in time.",
			(unsigned long)left), jstr(c, "serial"), name, day, left, jstr(c, "rule"));
		notice(t, when, _("Certificate expiring"), body, true);
	}
}

/* At the start: the certificates of the watched tokens within the daemon's
 * warning horizon. */
static int
check_expiry(struct tray *t)
{
	json_object *answer;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	json_object *params = json_object_new_object();
	if (!params)
		return EXIT_ERROR_REPLY;
	int r = client_call_pages(t->cl, "io.khoa.Expiry.Expiring", params, "certificates",
				  &answer);
	if (r != EXIT_OK)
		return r;
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%d/%m/%Y %H:%M", &tm);
	json_object *certs = jarr(answer, "certificates");
	for (size_t i = 0; certs && i < json_object_array_length(certs); i++) {
		json_object *c = json_object_array_get_idx(certs, i);
		const char *serial = jstr(c, "token_serial");
		if (*serial && token_entry(t, serial))
			expiry_notice(t, when, serial, c);
	}
	json_object_put(answer);
	return EXIT_OK;
}

/* ----- events ----- */

/* The events of a watched token the tray tells of: the event's own
 * sentence (event.h), then what to do about it. */
static const struct tray_event {
	const char *type;
	const char *summary;
	bool critical;
	const char *advice;	/* or NULL */
	bool serial_follows;	/* the advice is a command: the serial after it */
} tray_events[] = {
	{ "pin_request.filed", N_("PIN-recovery request"), false, NULL, false },
	{ "pin_request.confirmed", N_("PIN-recovery request"), false, NULL, false },
	{ "pin_request.submitted", N_("PIN-recovery request"), false, NULL, false },
	{ "pin_request.forwarded", N_("PIN-recovery request"), false, NULL, false },
	{ "pin_request.completed", N_("PIN-recovery request"), false,
	  /* TRANSLATORS: the token's serial follows the command. */
	  N_("Change the PIN at once: khoa pin change"), true },
	{ "pin_request.rejected", N_("PIN-recovery request"), false, NULL, false },
	{ "pin_request.cancelled", N_("PIN-recovery request"), false, NULL, false },
	{ "certificate.renewed", N_("Certificate renewed"), false, NULL, false },
	{ "certificate.reissued", N_("Certificate re-issued"), false, NULL, false },
	{ "certificate.revoked", N_("Certificate revoked"), true,
	  N_("Hand the token back to the records clerk."), false },
	/* What the regulation wants done about the token now (issue 16). */
	{ "certificate.revocation_due", N_("To do under the regulation"), true,
	  N_("File the request: khoa request new revoke"), true },
	{ "token.return_overdue", N_("To do under the regulation"), true, NULL, false },
	{ "token.found", N_("To do under the regulation"), true,
	  N_("The technician's command: khoa incident found"), true },
	{ "token.lost", N_("To do under the regulation"), true, NULL, false },
	{ "token.damaged", N_("To do under the regulation"), true, NULL, false },
};

/* EV of the watched token SERIAL, when the tray tells of its type. */
static void
event_notice(struct tray *t, json_object *ev, const char *when, const char *serial)
{
	const char *type = jstr(ev, "type");
	char said[2048], body[2400];

	for (size_t i = 0; i < sizeof(tray_events) / sizeof(*tray_events); i++) {
		const struct tray_event *e = &tray_events[i];
		if (strcmp(e->type, type) != 0)
			continue;
		snprintf(body, sizeof(body), "%s%s%s%s%s", event_sentence(ev, said, sizeof(said)),
			 e->advice ? " " : "", e->advice ? _(e->advice) : "",
			 e->serial_follows ? " " : "", e->serial_follows ? serial : "");
		notice(t, when, _(e->summary), body, e->critical);
		return;
	}
}

static void
on_event(struct tray *t, json_object *ev)
{
	const char *type = jstr(ev, "type");
	const char *serial = jstr(ev, "token_serial");
	json_object *d = NULL;
	char when[32];

	if (jint(ev, "id") > t->last_event)
		t->last_event = jint(ev, "id");
	json_object_object_get_ex(ev, "details", &d);
	if (!*serial)
		return;
	if (strcmp(type, "token.appeared") == 0 && t->every_token)
		watch_token(t, serial, jstr(d, "label"));
	json_object *e = token_entry(t, serial);
	if (!e)
		return;
	event_time(ev, when, sizeof(when));
	if (strcmp(type, "token.pin_changed") == 0) {
		json_object *flags = NULL, *previous = NULL;
		json_object_object_get_ex(d, "flags", &flags);
		json_object_object_get_ex(d, "previous", &previous);
		const char *state = state_of_flags(flags);
		const char *before = *jstr(e, "state") ? jstr(e, "state") : state_of_flags(previous);
		pin_notice(t, when, serial, state, *before ? before : "ok");
		param_str(e, "state", state);
	} else if (strcmp(type, "certificate.expiring") == 0 ||
		   strcmp(type, "certificate.expired") == 0) {
		expiry_notice(t, when, serial, d);
	} else {
		event_notice(t, ev, when, serial);
	}
}

/* Waits SECONDS or until STOP_FD is readable: false when it is (stop). */
static bool
pause_for(int stop_fd, unsigned seconds)
{
	struct pollfd p = { .fd = stop_fd, .events = POLLIN };
	int r;
	while ((r = poll(&p, stop_fd >= 0 ? 1 : 0, (int)seconds * 1000)) < 0 && errno == EINTR)
		;
	return r == 0;
}

/* The newest event's id into T's cursor (io.khoa.Events.Last). */
static int
newest_event(struct tray *t)
{
	json_object *answer;
	int r = client_call(t->cl, "io.khoa.Events.Last", NULL, &answer);
	if (r == EXIT_OK) {
		t->last_event = jint(answer, "id");
		json_object_put(answer);
	}
	return r;
}

/* Watches until STOP_FD; while khoad is away (not started yet, restarted)
 * too, picking up what it missed: the events after the last one seen, or
 * else the PIN states. */
static int
watch(struct tray *t, int stop_fd)
{
	unsigned retry = RETRY_MIN_S;
	bool told = false;

	for (;;) {
		json_object *params, *answer;
		bool continues = true;
		int r = EXIT_OK;

		/* The first time: a cursor taken before the states are read, so
		 * that the watch replays whatever happens after the reading; after
		 * that (khoad restarted), what came after the last event seen. */
		if (!t->have_cursor && (r = newest_event(t)) == EXIT_OK &&
		    (r = check_states(t)) == EXIT_OK && (r = check_expiry(t)) == EXIT_OK)
			t->have_cursor = true;
		if (r == EXIT_OK) {
			params = param_new();
			param_int(params, "since", t->last_event);
			r = client_stream_open(t->cl, "io.khoa.Events.Watch", params);
		}
		if (r == EXIT_OK && !told) {
			fprintf(stderr, "%s\n", t->every_token
				? _("Watching the PINs of every token present (Ctrl-C to stop)…")
				: _("Watching the PINs of the tokens named (Ctrl-C to stop)…"));
			told = true;
		}
		while (r == EXIT_OK && continues) {
			r = client_stream_next(t->cl, stop_fd, &answer, &continues);
			if (r != EXIT_OK)
				break;
			if (!answer)	/* a signal: the user is done */
				return EXIT_OK;
			json_object *ev = NULL;
			json_object_object_get_ex(answer, "event", &ev);
			on_event(t, ev);
			json_object_put(answer);
			retry = RETRY_MIN_S;
		}
		varlink_close(t->cl->conn);
		t->cl->conn = NULL;
		fprintf(stderr, _("khoa tray: trying again in %u seconds\n"), retry);
		if (!pause_for(stop_fd, retry))
			return EXIT_OK;
		retry = retry * 2 > RETRY_MAX_S ? RETRY_MAX_S : retry * 2;
	}
}

static int
run_tray(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	struct tray t = { .cl = cl, .tokens = param_new() };
	sigset_t old;
	int r;

	json_object *serials = jarr(opts, "serials");
	for (size_t i = 0; serials && i < json_object_array_length(serials); i++)
		watch_token(&t, json_object_get_string(json_object_array_get_idx(serials, i)), NULL);
	t.every_token = !serials;
	if (!jbool(opts, "no_notify") && !(t.desktop = notifier_new()))
		die_oom();
	json_object_put(opts);

	int stop = client_stop_signals(&old);
	r = watch(&t, stop);
	client_stop_signals_end(stop, &old);
	notifier_free(t.desktop);
	json_object_put(t.tokens);
	return r;
}

const struct command cmd_tray = {
	.name = "tray",
	.help = N_("tell the user when a token's PIN runs out of tries or a certificate "
		   "expires"),
	.about = N_("Runs in the user's session until Ctrl-C: tells when the PIN of a token runs\n"
		    "low on tries, reaches its final try or locks (and how to file the request\n"
		    "to recover it, Mẫu 09), and how PIN-recovery requests for the tokens go;\n"
		    "when a certificate on them nears its expiry (and whether it can still be\n"
		    "renewed), expires, is renewed or revoked.\n"
		    "Notices go to the desktop (org.freedesktop.Notifications); without one\n"
		    "they are printed, one line each.\n"),
	.is = { .options = tray_options, .run = run_tray },
};
