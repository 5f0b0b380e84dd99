/* render-form KIND DATA.json [AGENCY.json] OUT: drives forms/ without the
 * daemon. KIND: handover (Mẫu 10), pin-request (Mẫu 09), manager-change
 * (Mẫu 08). OUT ending in .pdf gets the PDF, "-" the text rendering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "forms.h"

int main(int argc, char **argv)
{
	json_object *data, *agency = NULL;
	const char *kind, *out;
	char *error = NULL;
	int r;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s handover|pin-request|manager-change DATA.json [AGENCY.json] OUT.pdf|-\n", argv[0]);
		return 2;
	}
	kind = argv[1];
	out = argv[argc - 1];
	data = json_object_from_file(argv[2]);
	if (!data) {
		fprintf(stderr, "%s: %s\n", argv[2], json_util_get_last_err());
		return 1;
	}
	if (argc == 5 && !(agency = json_object_from_file(argv[3]))) {
		fprintf(stderr, "%s: %s\n", argv[3], json_util_get_last_err());
		return 1;
	}
	if (!strcmp(out, "-")) {
		if (!strcmp(kind, "handover"))
			r = forms_handover_text(data, agency, stdout);
		else if (!strcmp(kind, "pin-request"))
			r = forms_pin_request_text(data, agency, stdout);
		else if (!strcmp(kind, "manager-change"))
			r = forms_manager_change_text(data, agency, stdout);
		else
			r = -1;
	} else if (!strcmp(kind, "handover")) {
		r = forms_handover_pdf(data, agency, out, &error);
	} else if (!strcmp(kind, "pin-request")) {
		r = forms_pin_request_pdf(data, agency, out, &error);
	} else if (!strcmp(kind, "manager-change")) {
		r = forms_manager_change_pdf(data, agency, out, &error);
	} else {
		fprintf(stderr, "%s: unknown kind\n", kind);
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "%s: %s (%d)\n", kind, error ? error : strerror(-r), r);
		free(error);
		return 1;
	}
	json_object_put(data);
	json_object_put(agency);
	return 0;
}
