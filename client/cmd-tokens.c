/* khoa tokens | token SERIAL | rescan: the tokens present and whom they are
 * registered to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "fold.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "registration.h"
#include "table.h"

enum {
	COL_TOKEN, COL_LABEL, COL_MODEL, COL_PIN, COL_REGISTERED_TO, COL_AGENCY,
	COL_CERTIFICATE, COL_HOLDER, COL_VALID_FROM, COL_VALID_TO, COL_STATUS,
};

/* A certificate's status; on the token's first row a mismatch comes first,
 * being the worst news. */
static const char *
cert_status(json_object *cert, bool mismatch, time_t now, char *buf, size_t size)
{
	const char *validity = cert ? format_validity(cert, now) : NULL;
	if (!mismatch)
		return validity;
	snprintf(buf, size, "%s%s%s", _("MISMATCH"), validity ? ", " : "", validity ? validity : "");
	return buf;
}

/* One row per certificate, the token's columns on its first row only. */
static void
print_tokens(struct client *cl, json_object *answer)
{
	json_object *tokens = jarr(answer, "tokens");
	const char *titles[] = {
		_("TOKEN"), _("LABEL"), _("MODEL"), _("PIN"), _("REGISTERED TO"), _("AGENCY"),
		_("CERTIFICATE"), _("HOLDER"), _("VALID FROM"), _("VALID TO"), _("STATUS"), NULL
	};
	struct libscols_table *tb = table_new(titles);
	time_t now = time(NULL);
	char pin[128], from[32], to[32], holder[512], status[128];

	/* On a narrow screen: the serials whole; what the device says of
	 * itself and the certificate's own name (the registration says who)
	 * go first, then the certificate (khoa certs has it), then its
	 * expiry; the names and the status wrap. */
	table_column(tb, COL_LABEL, TABLE_WRAP, TABLE_SPARE + 2);
	table_column(tb, COL_MODEL, TABLE_WRAP, TABLE_SPARE + 3);
	table_column(tb, COL_PIN, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, COL_REGISTERED_TO, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, COL_AGENCY, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, COL_CERTIFICATE, TABLE_WHOLE, TABLE_USEFUL + 1);
	table_column(tb, COL_HOLDER, TABLE_WRAP, TABLE_SPARE + 1);
	table_column(tb, COL_VALID_FROM, TABLE_WHOLE, TABLE_SPARE + 4);
	table_column(tb, COL_VALID_TO, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, COL_STATUS, TABLE_WRAP, TABLE_ALWAYS);

	size_t n_tokens = tokens ? json_object_array_length(tokens) : 0;

	for (size_t i = 0; i < n_tokens; i++) {
		json_object *t = json_object_array_get_idx(tokens, i);
		json_object *certs = jarr(t, "certificates");
		size_t n = certs ? json_object_array_length(certs) : 0;

		bool mismatch = registration_mismatch(t);

		struct libscols_line *row = table_row(tb);
		table_cell(row, COL_TOKEN, jstr(t, "serial"));
		table_cell(row, COL_LABEL, jstr(t, "label"));
		table_cell(row, COL_MODEL, jstr(t, "model"));
		json_object *flags;
		json_object_object_get_ex(t, "flags", &flags);
		table_cell(row, COL_PIN, format_pin_state(flags, pin, sizeof(pin)));
		table_cell(row, COL_REGISTERED_TO, registration_holder(t, holder, sizeof(holder)));
		table_cell(row, COL_AGENCY, registration_agency(t));
		if (n == 0) {
			table_cell(row, COL_CERTIFICATE, _("(no certificate)"));
			table_cell(row, COL_STATUS, cert_status(NULL, mismatch, now, status,
								sizeof(status)));
		}
		for (size_t j = 0; j < n; j++) {
			json_object *c = json_object_array_get_idx(certs, j);
			if (j > 0)
				row = table_row(tb);
			table_cell(row, COL_CERTIFICATE, jstr(c, "serial"));
			table_cell(row, COL_HOLDER, jstr(c, "subject_cn"));
			table_cell(row, COL_VALID_FROM,
				   format_date(jstr(c, "not_before"), false, from, sizeof(from)));
			table_cell(row, COL_VALID_TO,
				   format_date(jstr(c, "not_after"), false, to, sizeof(to)));
			table_cell(row, COL_STATUS, cert_status(c, mismatch && j == 0, now, status,
								sizeof(status)));
		}
	}
	if (n_tokens == 0) {
		scols_unref_table(tb);
		printf("%s\n", _("No token is present."));
		return;
	}
	table_print(tb);
}

/* Whether NAME contains WANT (folded), ignoring case. */
static bool
name_matches(const char *name, const char *want)
{
	if (!name || !*name)
		return false;
	char *have = fold_text(name);
	bool match = strstr(have, want) != NULL;
	free(have);
	return match;
}

/* Keeps in ANSWER's tokens those whose custodian (from the last finalized
 * handover) or registered holder has a name containing HOLDER, ignoring
 * case. */
static void
filter_holder(json_object *answer, const char *holder)
{
	json_object *tokens = jarr(answer, "tokens"), *kept = json_object_new_array();
	char *want = fold_text(holder);
	size_t n = tokens ? json_object_array_length(tokens) : 0;
	bool organization;

	if (!kept)
		die_oom();
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tokens, i), *reg = NULL;
		json_object_object_get_ex(t, "registration", &reg);
		if ((name_matches(registration_holder_name(t, &organization), want) ||
		     name_matches(jstr(reg, "custodian"), want)) &&
		    json_object_array_add(kept, json_object_get(t)) < 0)
			die_oom();
	}
	free(want);
	if (json_object_object_add(answer, "tokens", kept) < 0)
		die_oom();
}

/* The registered tokens of the whole registry (Tokens.Registered), where
 * each was last seen. */
static void
print_registered(struct client *cl, json_object *answer)
{
	json_object *tokens = jarr(answer, "tokens");
	const char *titles[] = {
		_("TOKEN"), _("LABEL"), _("REGISTERED TO"), _("AGENCY"), _("CUSTODIAN"),
		_("LAST SEEN AT"), _("LAST SEEN"), NULL
	};
	struct libscols_table *tb = table_new(titles);
	size_t n = tokens ? json_object_array_length(tokens) : 0;
	char when[32];

	(void)cl;
	table_column(tb, 1, TABLE_WRAP, TABLE_SPARE);
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 4, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 5, TABLE_WRAP, TABLE_USEFUL);
	table_column(tb, 6, TABLE_WRAP, TABLE_ALWAYS);
	printf("\n%s\n", _("Registered tokens in the registry, where each was last seen:"));
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tokens, i), *h = NULL;
		json_object_object_get_ex(t, "holder", &h);
		struct libscols_line *row = table_row(tb);
		table_cell(row, 0, jstr(t, "serial"));
		table_cell(row, 1, jstr(t, "label"));
		table_cell(row, 2, jstr(h, "name"));
		table_cell(row, 3, jstr(h, "organization"));
		table_cell(row, 4, *jstr(t, "custodian") ? jstr(t, "custodian") : "—");
		table_cell(row, 5, *jstr(t, "workstation") ? jstr(t, "workstation") : "—");
		table_cell(row, 6, !*jstr(t, "last_seen") ? _("never")
				   : jbool(t, "present") ? _("plugged in now")
				   : format_date(jstr(t, "last_seen"), true, when, sizeof(when)));
	}
	table_print(tb);
}

/* --holder is khoa's own filter, not a parameter of Tokens.List; --all
 * adds Tokens.Registered. */
static const struct param_option tokens_options[] = {
	{ "holder", "holder", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("only the tokens registered to a holder whose name contains TEXT (upper or "
	     "lower case alike, with or without the diacritics)"), OPTION_OPTIONAL },
	{ "all", "all", OPTION_FLAG, NULL,
	  N_("then every registered token of the registry you may see (a technician: "
	     "the province's; a clerk: their agency's), where and when it was last seen"),
	  OPTION_OPTIONAL },
	{ NULL }
};

static int
run_tokens(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *answer;

	if (json_object_object_get_ex(params, "all", NULL)) {
		int status = EXIT_OK;
		json_object_put(params);
		if (!cl->json)
			status = client_show(cl, "io.khoa.Tokens.List", NULL, print_tokens);
		return status == EXIT_OK ? client_show_pages(cl, "io.khoa.Tokens.Registered",
							     param_new(), "tokens",
							     print_registered) : status;
	}
	if (!json_object_object_get_ex(params, "holder", NULL)) {
		json_object_put(params);
		return client_show(cl, "io.khoa.Tokens.List", NULL, print_tokens);
	}
	int status = client_call(cl, "io.khoa.Tokens.List", NULL, &answer);
	if (status == EXIT_OK) {
		filter_holder(answer, jstr(params, "holder"));
		json_object *tokens = jarr(answer, "tokens");
		if (cl->json)
			client_print_json(answer);
		else if (json_object_array_length(tokens) == 0)
			printf(_("No token present is registered to a holder whose name contains "
				 "'%s'.\n"), jstr(params, "holder"));
		else
			print_tokens(cl, answer);
		json_object_put(answer);
	}
	json_object_put(params);
	return status;
}

static int
run_rescan(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show(cl, "io.khoa.Tokens.Rescan", params, print_tokens);
}

/* Certificate C; RECORDED: as the registry keeps it, without what only the
 * device says (its key and object). */
static void
print_cert(json_object *c, time_t now, bool recorded)
{
	struct libscols_table *tb = fields_new();
	char from[32], to[32], buf[256];

	printf("\n%s %s\n", _("Certificate"), jstr(c, "serial"));
	fields_add(tb, _("Holder"), jstr(c, "subject_cn"));
	fields_add(tb, _("Subject"), jstr(c, "subject"));
	fields_add(tb, _("Issuer"), jstr(c, "issuer"));
	snprintf(buf, sizeof(buf), "%s – %s (%s)",
		 format_date(jstr(c, "not_before"), true, from, sizeof(from)),
		 format_date(jstr(c, "not_after"), true, to, sizeof(to)), format_validity(c, now));
	fields_add(tb, _("Valid"), buf);
	if (!recorded) {
		snprintf(buf, sizeof(buf), "%s %d", jstr(c, "key_algorithm"),
			 (int)jint(c, "key_bits"));
		fields_add(tb, _("Key"), buf);
		fields_add(tb, _("Private key on token"),
			   jbool(c, "has_private_key") ? _("yes") : _("no"));
		fields_add(tb, _("Object ID"), jstr(c, "id"));
		fields_add(tb, _("Object label"), jstr(c, "label"));
	}
	fields_add(tb, _("SHA-256"), jstr(c, "sha256"));
	table_print(tb);
}

static void
print_token(struct client *cl, json_object *p)
{
	json_object *t, *flags;
	json_object_object_get_ex(p, "token", &t);
	json_object_object_get_ex(t, "flags", &flags);
	struct libscols_table *tb = fields_new();
	char buf[256];

	printf("%s %s\n", _("Token"), jstr(t, "serial"));
	/* from the registry's record: what only the device says is left out */
	bool recorded = format_print_reading(p);
	fields_add(tb, _("Label"), jstr(t, "label"));
	fields_add(tb, _("Manufacturer"), jstr(t, "manufacturer"));
	fields_add(tb, _("Model"), jstr(t, "model"));
	if (!recorded) {
		fields_add(tb, _("PIN"), format_pin_state(flags, buf, sizeof(buf)));
		snprintf(buf, sizeof(buf), "%d–%d", (int)jint(t, "min_pin_length"),
			 (int)jint(t, "max_pin_length"));
		fields_add(tb, _("PIN length"), buf);
	}
	fields_add(tb, _("Module"), jstr(t, "module"));
	if (!recorded)
		fields_add(tb, _("Slot"), jstr(t, "slot_description"));
	registration_fields(tb, t);
	table_print(tb);

	json_object *certs = jarr(t, "certificates");
	time_t now = time(NULL);
	size_t n = certs ? json_object_array_length(certs) : 0;
	if (n == 0)
		printf("\n%s\n", _("No certificate on this token."));
	for (size_t i = 0; i < n; i++)
		print_cert(json_object_array_get_idx(certs, i), now, recorded);
}

static int
run_token(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	param_str(params, "serial", argv[0]);
	return client_show(cl, "io.khoa.Tokens.Get", params, print_token);
}

const struct command cmd_tokens = {
	.name = "tokens",
	.help = N_("list the tokens present with holders and certificates"),
	.is = { .options = tokens_options, .run = run_tokens },
};
const struct command cmd_token = {
	.name = "token",
	.help = N_("show a token, its holder and certificates in full"),
	.is = { NC_("metavar", "SERIAL"), 1, 1, NULL, run_token },
};
const struct command cmd_rescan = {
	.name = "rescan",
	.help = N_("read every token again now, then list them"),
	.is = { .run = run_rescan },
};
