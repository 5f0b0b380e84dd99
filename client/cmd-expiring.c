/* khoa expiring [--days N]: the certificates coming to the end of their
 * validity, and whether they can still be renewed (Điều 5.1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "khoa-limits.h"
#include "options.h"
#include "table.h"
#include "why.h"
#include "words.h"


/* Why renewal is refused, in the user's language: by the rule's id and the
 * days left, or the fact's code and arguments (why.h), never by khoad's
 * English sentence. */
static const char *
refusal(json_object *c, char *buf, size_t size)
{
	const char *rule = jstr(c, "rule");
	int left = (int)jint(c, "days_left");

	if (strcmp(rule, "R-RENEW-60D") == 0 && left >= 0) {
		/* TRANSLATORS: R-RENEW-60D: renewal may be asked for only while
		 * at least 60 days of validity remain (Điều 5.1). */
		snprintf(buf, size, ngettext("only %d day of validity remains, too few to ask for "
					     "renewal (R-RENEW-60D, Điều 5.1)",
					     "only %d days of validity remain, too few to ask for "
					     "renewal (R-RENEW-60D, Điều 5.1)", (unsigned long)left),
			 left);
		return buf;
	}
	if (strcmp(rule, "R-RENEW-60D") == 0) {
		snprintf(buf, size, ngettext("expired %d day ago, too late to ask for renewal "
					     "(R-RENEW-60D, Điều 5.1)",
					     "expired %d days ago, too late to ask for renewal "
					     "(R-RENEW-60D, Điều 5.1)", (unsigned long)-left),
			 -left);
		return buf;
	}
	if (strcmp(rule, "R-RENEW-ONCE") == 0) {
		/* TRANSLATORS: R-RENEW-ONCE: a certificate is renewed once only. */
		snprintf(buf, size, "%s", _("renewed already: a certificate is renewed once only "
					    "(R-RENEW-ONCE, Điều 5.1)"));
		return buf;
	}
	/* another rule: its fact in words, never khoad's English */
	char *why = why_text(jstr(c, "fact"), jarr(c, "args"));
	snprintf(buf, size, "%s (%s)", why ? why : jstr(c, "fact"), rule);
	free(why);
	return buf;
}

static void
print_expiring(struct client *cl, json_object *answer)
{
	json_object *certs = jarr(answer, "certificates");
	const char *titles[] = {
		_("TOKEN"), _("CERTIFICATE"), _("HOLDER"), _("EXPIRES"), _("DAYS LEFT"),
		_("RENEWAL"), NULL
	};
	size_t n = certs ? json_object_array_length(certs) : 0;
	char date[32], left[16], renewal[64], why[512];
	bool refused = false;

	(void)cl;
	if (n == 0) {
		printf("%s\n", _("No certificate expires within that time."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	/* the days left say it: the date and the certificate go first */
	table_column(tb, 1, TABLE_WHOLE, TABLE_USEFUL + 1);
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, 5, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(certs, i);
		struct libscols_line *row = table_row(tb);
		bool possible = jbool(c, "renewal_possible");
		snprintf(left, sizeof(left), "%lld", (long long)jint(c, "days_left"));
		if (possible)
			snprintf(renewal, sizeof(renewal), "%s", _("possible"));
		else
			/* TRANSLATORS: renewal refused, then the id of the rule. */
			snprintf(renewal, sizeof(renewal), _("no: %s"), jstr(c, "rule"));
		refused |= !possible;
		table_cell(row, 0, format_optional(jstr(c, "token_serial")));
		table_cell(row, 1, jstr(c, "serial"));
		/* The registry's holder, else whom the certificate names. */
		table_cell(row, 2, format_optional(*jstr(c, "holder") ? jstr(c, "holder")
							       : jstr(c, "subject_cn")));
		table_cell(row, 3, format_date(jstr(c, "not_after"), false, date, sizeof(date)));
		table_cell(row, 4, left);
		table_cell(row, 5, renewal);
	}
	table_print(tb);
	if (!refused)
		return;
	printf("\n%s\n", _("Renewal not possible:"));
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(certs, i);
		if (!jbool(c, "renewal_possible"))
			printf("  %s: %s\n", jstr(c, "serial"), refusal(c, why, sizeof(why)));
	}
}

/* --days is read as text and checked here: the bound is khoa's. */
static const struct param_option expiring_options[] = {
	{ "days", "days", OPTION_TEXT, "N", N_("look N days ahead"), OPTION_OPTIONAL },
	{ NULL }
};

static int
run_expiring(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (json_object_object_get_ex(params, "days", NULL)) {
		const char *text = jstr(params, "days");
		char *end;
		errno = 0;
		long days = strtol(text, &end, 10);
		if (text[0] < '0' || text[0] > '9' || *end || errno || days > KHOA_EXPIRY_DAYS_MAX) {
			fprintf(stderr, _("%s: --days is a whole number of days, 0 to %d\n"), prog,
				KHOA_EXPIRY_DAYS_MAX);
			json_object_put(params);
			return EXIT_USAGE;
		}
		param_int(params, "days", days);
	}
	return client_show_pages(cl, "io.khoa.Expiry.Expiring", params, "certificates",
				 print_expiring);
}

const struct command cmd_expiring = {
	.name = "expiring",
	.help = N_("list the certificates expiring soon and whether they can be renewed"),
	.about = N_("List every certificate the registry knows that expires within N days\n"
		    "(default: the daemon's first warning, 120 days), soonest first, with\n"
		    "those expired already, and whether it can still be renewed: once only,\n"
		    "while at least 60 days remain (Điều 5.1).\n"),
	.is = { .options = expiring_options, .run = run_expiring },
};

/* ----- khoa due: what the regulation wants revoked, and the tokens not
 * handed back (issue 16) ----- */

static void
print_due(struct client *cl, json_object *answer)
{
	json_object *due = jarr(answer, "due"), *back = jarr(answer, "unreturned");
	size_t n = due ? json_object_array_length(due) : 0;
	size_t m = back ? json_object_array_length(back) : 0;
	char when[32], days[32], id[32];

	if (n == 0) {
		printf("%s\n", _("No certificate is due for revocation."));
	} else {
		const char *titles[] = { _("CERTIFICATE"), _("TOKEN"), _("HOLDER"), _("WHY"),
					 _("RULE"), _("SINCE"), NULL };
		printf("%s\n", _("Due for revocation: file a request (khoa request new revoke "
				 "SERIAL --reason REASON):"));
		struct libscols_table *tb = table_new(titles);
		/* a request names the token: its serial stays */
		table_column(tb, 0, TABLE_WHOLE, TABLE_USEFUL + 1);
		table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
		table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
		table_column(tb, 4, TABLE_WHOLE, TABLE_USEFUL);
		table_column(tb, 5, TABLE_WHOLE, TABLE_USEFUL + 2);
		for (size_t i = 0; i < n; i++) {
			json_object *d = json_object_array_get_idx(due, i);
			struct libscols_line *row = table_row(tb);
			table_cell(row, 0, jstr(d, "certificate_serial"));
			table_cell(row, 1, jstr(d, "token_serial"));
			table_cell(row, 2, format_optional(jstr(d, "holder")));
			table_cell(row, 3, reason_text(jstr(d, "reason")));
			table_cell(row, 4, jstr(d, "rule"));
			table_cell(row, 5, format_date(jstr(d, "since"), false, when, sizeof(when)));
		}
		table_print(tb);
	}
	if (m == 0)
		return;
	const char *titles[] = { _("TOKEN"), _("CERTIFICATE"), _("HOLDER"), _("REVOKED"),
				 _("DAYS"), _("REQUEST"), NULL };
	/* TRANSLATORS: Điều 13.4; %d: the days after which khoad raises it */
	printf(_("\nRevoked, not handed back to Sở TT&TT (Điều 13.4; raised after %d days):\n"),
	       (int)jint(answer, "return_days"));
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WHOLE, TABLE_USEFUL + 1);
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WHOLE, TABLE_USEFUL);
	for (size_t i = 0; i < m; i++) {
		json_object *u = json_object_array_get_idx(back, i);
		struct libscols_line *row = table_row(tb);
		table_cell(row, 0, jstr(u, "token_serial"));
		table_cell(row, 1, format_optional(jstr(u, "certificate_serial")));
		table_cell(row, 2, format_optional(jstr(u, "holder")));
		table_cell(row, 3, format_date(jstr(u, "revoked_at"), false, when, sizeof(when)));
		snprintf(days, sizeof(days), "%lld", (long long)jint(u, "days"));
		table_cell(row, 4, days);
		snprintf(id, sizeof(id), "%lld", (long long)jint(u, "request_id"));
		table_cell(row, 5, id);
	}
	table_print(tb);
}

static int
run_due(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object_put(params);
	return client_show(cl, "io.khoa.Expiry.Due", NULL, print_due);
}

const struct command cmd_due = {
	.name = "due",
	.help = N_("list the certificates due for revocation and the tokens not handed back"),
	.about = N_("A personal certificate is revoked before its holder moves to another agency\n"
		    "or changes position (Điều 6.1b), an organization's when it is renamed,\n"
		    "split, merged, consolidated or dissolved (Điều 6.1a), and either once it\n"
		    "expires: until a revocation request is filed, it is listed here. Tokens\n"
		    "whose revocation is done are handed back to Sở TT&TT (Điều 13.4).\n"),
	.is = { .run = run_due },
};
