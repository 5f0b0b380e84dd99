/* render-form KIND DATA.json [AGENCY.json] OUT: drives forms/ without the
 * daemon. KIND: handover (Mẫu 10), pin-request (Mẫu 09), manager-change
 * (Mẫu 08), request (Mẫu 01, 02 or 05), list-person, list-org, list-revoke
 * (Mẫu 03, 04, 06; DATA an array of requests), report (Mẫu 07). OUT ending
 * in .pdf gets the PDF, in .csv the CSV (lists only), "-" the text
 * rendering. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "forms.h"

struct kind {
	const char *name;
	int (*pdf)(json_object *, json_object *, const char *, char **);
	int (*text)(json_object *, json_object *, FILE *);
	const char *list;	/* for the lists: "person", "org", "revoke" */
};

static const struct kind kinds[] = {
	{ "handover", forms_handover_pdf, forms_handover_text, NULL },
	{ "pin-request", forms_pin_request_pdf, forms_pin_request_text, NULL },
	{ "manager-change", forms_manager_change_pdf, forms_manager_change_text, NULL },
	{ "request", forms_lifecycle_request_pdf, forms_lifecycle_request_text, NULL },
	{ "report", forms_annual_report_pdf, forms_annual_report_text, NULL },
	{ "list-person", NULL, NULL, "person" },
	{ "list-org", NULL, NULL, "org" },
	{ "list-revoke", NULL, NULL, "revoke" },
};

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

static int render(const struct kind *k, json_object *data, json_object *agency, const char *out,
		  char **error)
{
	FILE *f;
	int r;

	if (!strcmp(out, "-"))
		return k->list ? forms_request_list_text(k->list, data, agency, stdout)
			       : k->text(data, agency, stdout);
	if (!ends_with(out, ".csv"))
		return k->list ? forms_request_list_pdf(k->list, data, agency, out, error)
			       : k->pdf(data, agency, out, error);
	if (!k->list)
		return -EINVAL;
	if (!(f = fopen(out, "w")))
		return -errno;
	r = forms_request_list_csv(k->list, data, f);
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

int main(int argc, char **argv)
{
	json_object *data = NULL, *agency = NULL;
	const struct kind *k = NULL;
	char *error = NULL;
	int r, status = 0;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s handover|pin-request|manager-change|request|list-person|list-org|list-revoke|report DATA.json [AGENCY.json] OUT.pdf|OUT.csv|-\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(kinds[i].name, argv[1]))
			k = &kinds[i];
	if (!k) {
		fprintf(stderr, "%s: unknown kind\n", argv[1]);
		return 2;
	}
	data = json_object_from_file(argv[2]);
	if (!data) {
		fprintf(stderr, "%s: %s\n", argv[2], json_util_get_last_err());
		return 1;
	}
	if (argc == 5 && !(agency = json_object_from_file(argv[3]))) {
		fprintf(stderr, "%s: %s\n", argv[3], json_util_get_last_err());
		json_object_put(data);
		return 1;
	}
	r = render(k, data, agency, argv[argc - 1], &error);
	if (r < 0) {
		fprintf(stderr, "%s: %s (%d)\n", k->name, error ? error : strerror(-r), r);
		status = 1;
	}
	free(error);
	json_object_put(data);
	json_object_put(agency);
	return status;
}
