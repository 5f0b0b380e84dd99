/* khoa status: the daemon, its modules and the age of what it knows. */
#include <stdio.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "table.h"

static void
print_status(struct client *cl, json_object *p)
{
	json_object *age;
	char when[32], buf[64];

	struct libscols_table *f = fields_new();
	fields_add(f, _("Daemon"), jstr(p, "version"));
	fields_add(f, _("Socket"), cl->socket);
	snprintf(buf, sizeof(buf), "%d", (int)jint(p, "tokens"));
	fields_add(f, _("Tokens"), buf);
	snprintf(buf, sizeof(buf), "%d", (int)jint(p, "certificates"));
	fields_add(f, _("Certificates"), buf);
	if (json_object_object_get_ex(p, "snapshot_age_seconds", &age)) {
		snprintf(buf, sizeof(buf), _("%s (%.1f s ago)"),
			 format_date(jstr(p, "snapshot_time"), true, when, sizeof(when)),
			 json_object_get_double(age));
		fields_add(f, _("Last scan"), buf);
	} else {
		fields_add(f, _("Last scan"), _("none yet"));
	}
	snprintf(buf, sizeof(buf), "%d", (int)jint(p, "clients"));
	fields_add(f, _("Clients"), buf);
	json_object *audit;
	if (json_object_object_get_ex(p, "audit", &audit) && audit) {
		char trail[256];
		if (jbool(audit, "intact"))
			snprintf(trail, sizeof(trail), _("intact, %lld records (checked %s)"),
				 (long long)jint(audit, "records"),
				 format_date(jstr(audit, "checked_at"), true, when, sizeof(when)));
		else
			/* TRANSLATORS: the first problem's kind, table and key,
			 * then how many; "khoa audit verify" says them all. */
			snprintf(trail, sizeof(trail), _("BROKEN since %s: %s %s %s (%lld problems; "
							 "khoa audit verify)"),
				 format_date(jstr(audit, "checked_at"), true, when, sizeof(when)),
				 jstr(audit, "first_kind"), jstr(audit, "first_table"),
				 jstr(audit, "first_key"), (long long)jint(audit, "problem_count"));
		fields_add(f, _("Audit trail"), trail);
	}
	table_print(f);

	const char *titles[] = {
		_("MODULE"), _("LIBRARY"), _("VERSION"), _("SLOTS"), _("TOKENS"), _("LAST SCAN"),
		_("ERROR"), NULL
	};
	struct libscols_table *tb = table_new(titles);
	json_object *mods = jarr(p, "modules");
	table_column(tb, 0, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 2, TABLE_WRAP, TABLE_USEFUL);
	table_column(tb, 5, TABLE_WHOLE, TABLE_USEFUL + 1);
	table_column(tb, 6, TABLE_WRAP, TABLE_ALWAYS);
	char slots[16];
	for (size_t i = 0; mods && i < json_object_array_length(mods); i++) {
		json_object *m = json_object_array_get_idx(mods, i);
		struct libscols_line *row = table_row(tb);
		table_cell(row, 0, jstr(m, "name"));
		table_cell(row, 1, jstr(m, "path"));
		/* TRANSLATORS: a module's manufacturer and library version: "SoftHSM 2.6". */
		snprintf(buf, sizeof(buf), _("%s %s"), jstr(m, "manufacturer"), jstr(m, "version"));
		table_cell(row, 2, *jstr(m, "version") ? buf : "-");
		snprintf(slots, sizeof(slots), "%d", (int)jint(m, "slots"));
		table_cell(row, 3, slots);
		snprintf(buf, sizeof(buf), "%d", (int)jint(m, "tokens"));
		table_cell(row, 4, buf);
		table_cell(row, 5, *jstr(m, "scanned_at")
			   ? format_date(jstr(m, "scanned_at"), true, when, sizeof(when)) : "-");
		table_cell(row, 6, jstr(m, "error"));
	}
	putchar('\n');
	table_print(tb);
}

static int
run_status(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show(cl, "io.khoa.Daemon.Status", params, print_status);
}

const struct command cmd_status = {
	.name = "status",
	.help = N_("show the daemon's PKCS#11 modules (library, version, slots) and when it "
		   "last read the tokens"),
	.is = { .run = run_status },
};
