/*
 * khoa-print: renders a record as its paper form, for khoa (DESIGN.md "Forms
 * and printing"). khoa fetches the record from khoad, looks up the names
 * that head the form, and runs this program with the record's JSON on its
 * standard input; only this program links forms/ (cairo, pango), so that
 * khoa starts like a small C program.
 *
 *   khoa-print FORM [--format pdf|text|csv] [--output FILE] [--agency NAME]
 *              [--managing-agency NAME] [--place TEXT] [--number TEXT] <RECORD
 *
 * FORM is handover (Mẫu 10), pin-request (09), manager-change (08), request
 * (01, 02 or 05, by the request's kind), report (07), or the lists sent
 * with an agency's letter, list-person (03), list-org (04) and list-revoke
 * (06), whose record is an array of requests; or one of the registers kept
 * beside them, history, custody and seal-register (forms.h). A PDF goes to
 * FILE, by default the form's own name in the current directory
 * (mau10-ID.pdf, mau07-YEAR.pdf, mau03.pdf, history-SERIAL.pdf,
 * seal-register.pdf), and the helper says where; text and CSV (lists only)
 * go to FILE or the standard output.
 *
 * Messages name the program as argv[0]: khoa runs it as "khoa print" or
 * "khoa report annual", so that they read as khoa's own. Exit status: 0; 1
 * when the form could not be made or written; 64 for a command line khoa
 * should never have made.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include <json-c/json_util.h>

#include "forms.h"
#include "i18n.h"
#include "language.h"

enum { STATUS_OK = 0, STATUS_FAILED = 1, STATUS_USAGE = 64 };

struct form {
	const char *name;	/* "handover" */
	int number;		/* its Mẫu; 0: a request's, by its kind, or a register */
	const char *key;	/* the record's member in the file name: "id", "year", "serial" */
	const char *file;	/* a register's file name before the key: "history" */
	const char *list;	/* a list of requests: "person", "org", "revoke" */
	int (*pdf)(json_object *record, json_object *agency, const char *path, char **error);
	int (*text)(json_object *record, json_object *agency, FILE *out);
	const char *advice;	/* said once the PDF is written, or NULL */
};

static const struct form forms[] = {
	{ "handover", 10, "id", NULL, NULL, forms_handover_pdf, forms_handover_text,
	  N_("Print two copies, one for each side, to be signed and stamped by both.") },
	{ "pin-request", 9, "id", NULL, NULL, forms_pin_request_pdf, forms_pin_request_text,
	  NULL },
	{ "manager-change", 8, "id", NULL, NULL, forms_manager_change_pdf,
	  forms_manager_change_text, NULL },
	{ "request", 0, "id", NULL, NULL, forms_lifecycle_request_pdf,
	  forms_lifecycle_request_text, NULL },
	{ "report", 7, "year", NULL, NULL, forms_annual_report_pdf, forms_annual_report_text,
	  NULL },
	{ "list-person", 3, NULL, NULL, "person", NULL, NULL, NULL },
	{ "list-org", 4, NULL, NULL, "org", NULL, NULL, NULL },
	{ "list-revoke", 6, NULL, NULL, "revoke", NULL, NULL, NULL },
	{ "history", 0, "serial", "history", NULL, forms_history_pdf, forms_history_text, NULL },
	{ "custody", 0, "serial", "custody", NULL, forms_custody_pdf, forms_custody_text, NULL },
	{ "seal-register", 0, NULL, "seal-register", NULL, forms_seal_register_pdf,
	  forms_seal_register_text, NULL },
};

static const char *prog;

static void
oom(void)
{
	fprintf(stderr, "%s: %s\n", prog, _("out of memory"));
	exit(STATUS_FAILED);
}

static int
usage(void)
{
	fprintf(stderr, _("Usage: %s FORM [--format pdf|text|csv] [--output FILE] [OPTIONS] "
			  "<RECORD.json (khoa's print helper)\n"), prog);
	return STATUS_USAGE;
}

static void
put_str(json_object *obj, const char *key, const char *value)
{
	json_object *v = json_object_new_string(value);
	if (!v || json_object_object_add(obj, key, v) < 0)
		oom();
}

static const char *
member_str(json_object *obj, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v) : "";
}

static long long
member_int(json_object *obj, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(obj, key, &v) ? (long long)json_object_get_int64(v) : 0;
}

/* Where the PDF goes when --output does not say: "mau10-3.pdf",
 * "history-1A2B3C.pdf". */
static char *
default_file(const struct form *f, int number, json_object *record)
{
	char *file;
	int r;

	if (f->file && f->key)
		r = asprintf(&file, "%s-%s.pdf", f->file, member_str(record, f->key));
	else if (f->file)
		r = asprintf(&file, "%s.pdf", f->file);
	else if (f->key)
		r = asprintf(&file, "mau%02d-%lld.pdf", number, member_int(record, f->key));
	else
		r = asprintf(&file, "mau%02d.pdf", number);
	if (r < 0)
		oom();
	return file;
}

/* Why a file could not be written, in the user's words (glibc's own
 * messages are English where its catalogue is not installed). */
static const char *
io_error_text(int err)
{
	switch (err) {
	case ENOSPC:
		return _("the disk is full");
	case EACCES:
	case EPERM:
		return _("you may not write in that folder");
	case EROFS:
		return _("the disk is read-only");
	case ENOENT:
	case ENOTDIR:
		return _("that folder does not exist");
	case EISDIR:
		return _("that is a folder, not a file");
	case ENOMEM:
		return _("out of memory");
	default:
		return strerror(err);
	}
}

/* Text or CSV to OUTPUT ("" or "-": the standard output). */
static int
write_stream(const struct form *f, const char *format, json_object *record,
	     json_object *agency, const char *output)
{
	FILE *out = stdout;
	int r;

	if (*output && strcmp(output, "-") != 0 && !(out = fopen(output, "w"))) {
		fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, output, io_error_text(errno));
		return STATUS_FAILED;
	}
	if (strcmp(format, "csv") == 0)
		r = forms_request_list_csv(f->list, record, out);
	else if (f->list)
		r = forms_request_list_text(f->list, record, agency, out);
	else
		r = f->text(record, agency, out);
	if (out != stdout && fclose(out) != 0 && r == 0)
		r = -errno;
	else if (out == stdout && fflush(stdout) != 0 && r == 0)
		r = -errno;
	if (r < 0) {
		fprintf(stderr, _("%s: cannot write the form: %s\n"), prog, io_error_text(-r));
		return STATUS_FAILED;
	}
	return STATUS_OK;
}

static int
write_pdf(const struct form *f, int number, json_object *record, json_object *agency,
	  const char *output)
{
	char *file = *output ? NULL : default_file(f, number, record);
	const char *path = file ? file : output;
	char *error = NULL;
	int r, status = STATUS_OK;

	/* cairo says only "error while writing to output stream", in English:
	 * open the file first to say why it cannot be written */
	bool existed = access(path, F_OK) == 0;
	FILE *probe = fopen(path, "a");
	if (!probe) {
		fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, path, io_error_text(errno));
		free(file);
		return STATUS_FAILED;
	}
	fclose(probe);
	if (f->list)
		r = forms_request_list_pdf(f->list, record, agency, path, &error);
	else
		r = f->pdf(record, agency, path, &error);
	if (r < 0) {
		/* cairo's detail (ERROR) is English: for a bug report, not for the clerk */
		fprintf(stderr, _("%s: cannot make %s: %s\n"), prog, path,
			r == -EINVAL ? _("the record lacks what the form needs")
			: r == -EIO ? _("the file could not be written to its end (is the disk full?)")
				    : io_error_text(-r));
		status = STATUS_FAILED;
		if (!existed)
			unlink(path);	/* no empty file left behind */
	} else {
		/* TRANSLATORS: the PDF file written. */
		printf(_("Written to %s.\n"), path);
		if (f->advice)
			printf("%s\n", _(f->advice));
	}
	free(error);
	free(file);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "agency", required_argument, NULL, 'a' },
		{ "managing-agency", required_argument, NULL, 'm' },
		{ "place", required_argument, NULL, 'p' },
		{ "number", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "pdf", *output = "", *place = "";
	const struct form *f = NULL;
	json_object *agency, *record;
	int c, number, status;

	prog = argc > 0 && argv[0] && *argv[0] ? argv[0] : "khoa-print";
	language_setup();
	if (!(agency = json_object_new_object()))
		oom();
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'a': put_str(agency, "agency", optarg); break;
		case 'm': put_str(agency, "managing_agency", optarg); break;
		case 'p': place = optarg; break;
		case 'n': put_str(agency, "number", optarg); break;
		default: return usage();
		}
	}
	/* The date line's place is always there, empty when not given. */
	put_str(agency, "place", place);
	for (size_t i = 0; optind + 1 == argc && i < sizeof(forms) / sizeof(*forms); i++)
		if (strcmp(forms[i].name, argv[optind]) == 0)
			f = &forms[i];
	if (!f || (strcmp(format, "pdf") != 0 && strcmp(format, "text") != 0 &&
		   (strcmp(format, "csv") != 0 || !f->list))) {
		json_object_put(agency);
		return usage();
	}

	if (!(record = json_object_from_fd(0)) ||
	    !json_object_is_type(record, f->list ? json_type_array : json_type_object)) {
		fprintf(stderr, _("%s: cannot read the record to print: %s\n"), prog,
			record ? _("not a record")
			       : json_util_get_last_err() ? json_util_get_last_err() : "?");
		json_object_put(record);
		json_object_put(agency);
		return STATUS_FAILED;
	}
	number = f->number || f->file ? f->number : forms_lifecycle_request_number(record);
	if (number < 0) {
		json_object *kind = json_object_object_get(record, "kind");
		/* TRANSLATORS: a request of a kind no form is made for. */
		fprintf(stderr, _("%s: request %lld (%s) has no form to print\n"), prog,
			member_int(record, "id"), kind ? json_object_get_string(kind) : "");
		status = STATUS_FAILED;
	} else if (strcmp(format, "pdf") == 0) {
		status = write_pdf(f, number, record, agency, output);
	} else {
		status = write_stream(f, format, record, agency, output);
	}
	json_object_put(record);
	json_object_put(agency);
	return status;
}
