/* The codes of the protocol as people say them (words.h). */
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "fold.h"
#include "format.h"
#include "i18n.h"
#include "pin-common.h"
#include "words.h"

struct word {
	const char *code, *text;
};

/* The reasons of revocation and re-issue (daemon/registry/rules.c has which
 * serve which kind of certificate), in the regulation's words (Điều 6.1,
 * 7.1). */
static const struct word reasons[] = {
	/* TRANSLATORS: why a certificate is revoked or re-issued (Điều 6, 7):
	 * the regulation's words, "đổi tên", "chia tách", … */
	{ "rename", N_("renaming") },
	{ "split", N_("split") },
	{ "merge", N_("merger") },
	{ "consolidation", N_("consolidation") },
	{ "dissolution", N_("dissolution") },
	{ "resignation", N_("resignation") },
	{ "retirement", N_("retirement") },
	{ "death", N_("death") },
	{ "transfer", N_("transfer to another agency") },
	{ "title-change", N_("change of title or position") },
	{ "conviction", N_("criminal conviction") },
	{ "conviction-cleared", N_("conviction cleared") },
	{ "damaged", N_("damaged device") },
	{ "lost", N_("lost device") },
	{ "expired", N_("expiry") },
};

/* The reasons of a handover's row (Mẫu 10, column "Lý do"). */
static const struct word handover_reasons[] = {
	/* TRANSLATORS: the reasons a token is handed over (Mẫu 10, column "Lý do"). */
	{ "new-issue", N_("new issue") },
	{ "re-issue", N_("re-issue") },
	{ "renewal", N_("renewal") },
	{ "revocation-return", N_("returned for revocation") },
	{ "pin-recovery-return", N_("returned after PIN recovery") },
	{ "transfer", N_("transfer") },
	{ "damaged", N_("damaged") },
	{ "other", N_("other") },
};

static const struct word others[] = {
	/* TRANSLATORS: the kinds of a certificate lifecycle request (Mẫu 01–06). */
	{ "new", N_("new certificate") },
	/* TRANSLATORS: gia hạn. */
	{ "renew", N_("renewal") },
	/* TRANSLATORS: thu hồi. */
	{ "revoke", N_("revocation") },
	/* TRANSLATORS: cấp lại. */
	{ "reissue", N_("re-issue") },
	{ "person", N_("person") },
	{ "organization", N_("organization") },
	/* TRANSLATORS: the roles of khoad, as the regulation names the people */
	{ "clerk", N_("records clerk (văn thư)") },
	{ "technician", N_("technician of Sở TT&TT") },
	{ "admin", N_("administrator") },
	{ "holder", N_("holder of the token") },
	{ "custodian", N_("custodian of the token") },
	{ "reused", N_("reused") },
};

#define N(a) (sizeof(a) / sizeof(*(a)))

static const char *
lookup(const struct word *w, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(w[i].code, code) == 0)
			return _(w[i].text);
	return NULL;
}

/* The code of table W that IN names: by its code, or its name (folded). */
static const char *
code_of(const struct word *w, size_t n, const char *in)
{
	for (size_t i = 0; in && i < n; i++)
		if (strcmp(w[i].code, in) == 0)
			return w[i].code;
	for (size_t i = 0; in && i < n; i++)
		if (fold_names(in, w[i].text))
			return w[i].code;
	return NULL;
}

static void
list(const struct word *w, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-21s %s\n", w[i].code, _(w[i].text));
}

const char *
reason_text(const char *code)
{
	const char *t = lookup(reasons, N(reasons), code);
	return t ? t : code;
}

const char *
handover_reason_text(const char *reason)
{
	const char *t = lookup(handover_reasons, N(handover_reasons), reason);
	return t ? t : reason;
}

const char *
handover_reason_code(const char *in)
{
	return code_of(handover_reasons, N(handover_reasons), in);
}

void
handover_reasons_list(FILE *out)
{
	list(handover_reasons, N(handover_reasons), out);
}

const char *
code_text(const char *code)
{
	const char *t;
	if ((t = lookup(reasons, N(reasons), code)) ||
	    (t = lookup(handover_reasons, N(handover_reasons), code)) ||
	    (t = lookup(others, N(others), code)))
		return t;
	/* the tables of their own commands */
	const char *(*const tables[])(const char *) = { request_state_text, format_device_state };
	for (size_t i = 0; i < N(tables); i++)
		if ((t = tables[i](code)) != code)
			return t;
	return code;
}

const char *
reason_code(const char *in)
{
	const char *code = code_of(reasons, N(reasons), in);
	if (code || !in)
		return code;
	/* the first words of one name alone: "hết hạn" for "hết hạn sử dụng" */
	const char *found = NULL;
	for (size_t i = 0; i < N(reasons); i++)
		if (fold_begins(in, reasons[i].text)) {
			if (found)
				return NULL;	/* "thay" begins two */
			found = reasons[i].code;
		}
	return found;
}

void
reasons_list(FILE *out)
{
	list(reasons, N(reasons), out);
}
