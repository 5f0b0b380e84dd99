/* khoa certs: every certificate on the tokens present. */
#include <stdio.h>
#include <time.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "table.h"

static void
print_certs(struct client *cl, json_object *answer)
{
	json_object *certs = jarr(answer, "certificates");
	const char *titles[] = {
		_("TOKEN"), _("CERTIFICATE"), _("HOLDER"), _("ISSUER"), _("VALID FROM"),
		_("VALID TO"), _("KEY"), _("STATUS"), NULL
	};
	struct libscols_table *tb = table_new(titles);
	time_t now = time(NULL);
	char from[32], to[32], key[64];
	size_t n = certs ? json_object_array_length(certs) : 0;

	/* On a narrow screen the serials stay whole; the issuer and the start
	 * go first, then the key and the end of validity. */
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_SPARE + 1);
	table_column(tb, 4, TABLE_WHOLE, TABLE_SPARE + 2);
	table_column(tb, 5, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, 6, TABLE_WRAP, TABLE_USEFUL + 1);
	table_column(tb, 7, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(certs, i);
		struct libscols_line *row = table_row(tb);
		snprintf(key, sizeof(key), "%s %d%s", jstr(c, "key_algorithm"),
			 (int)jint(c, "key_bits"), jbool(c, "has_private_key") ? "" : " *");
		table_cell(row, 0, jstr(c, "token_serial"));
		table_cell(row, 1, jstr(c, "serial"));
		table_cell(row, 2, jstr(c, "subject_cn"));
		table_cell(row, 3, jstr(c, "issuer_cn"));
		table_cell(row, 4, format_date(jstr(c, "not_before"), false, from, sizeof(from)));
		table_cell(row, 5, format_date(jstr(c, "not_after"), false, to, sizeof(to)));
		table_cell(row, 6, key);
		table_cell(row, 7, format_validity(c, now));
	}
	if (n == 0) {
		scols_unref_table(tb);
		printf("%s\n", _("No certificate is present."));
		return;
	}
	table_print(tb);
	for (size_t i = 0; i < n; i++) {
		if (!jbool(json_object_array_get_idx(certs, i), "has_private_key")) {
			printf("%s\n", _("* no key with the certificate's ID on the token"));
			break;
		}
	}
}

static int
run_certs(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show(cl, "io.khoa.Certificates.List", params, print_certs);
}

const struct command cmd_certs = {
	.name = "certs",
	.help = N_("list every certificate on the tokens present"),
	.is = { .run = run_certs },
};
