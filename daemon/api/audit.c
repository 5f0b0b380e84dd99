/* io.khoa.Audit: the audit trail verified and read (store-audit.h). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "audit-watch.h"
#include "khoa-limits.h"
#include "khoad.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "store-audit.h"

struct audit_args {
	json_object *heads;
	struct page_args page;
};
METHOD_ARGS_FIT(struct audit_args);

static void
audit_args_init(void *args)
{
	struct audit_args *a = args;
	a->heads = NULL;
	page_args_init(&a->page);
}

static const struct khoa_param verify_params[] = {
	{ "heads", KHOA_PARAM_ARRAY, offsetof(struct audit_args, heads), false },
	{ NULL }
};

static const struct khoa_param log_params[] = {
	PAGE_PARAMS(struct audit_args, page),
	{ NULL }
};

#define HEADS_MAX 10000

/* Each head a {seq ≥ 1, hash of 64 hex digits}. */
static bool
heads_valid(json_object *heads)
{
	size_t n = heads ? json_object_array_length(heads) : 0;
	if (n > HEADS_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *h = json_object_array_get_idx(heads, i), *seq, *hash;
		if (!json_object_is_type(h, json_type_object) ||
		    !json_object_object_get_ex(h, "seq", &seq) ||
		    !json_object_is_type(seq, json_type_int) || json_object_get_int64(seq) < 1 ||
		    !json_object_object_get_ex(h, "hash", &hash) ||
		    !json_object_is_type(hash, json_type_string) ||
		    json_object_get_string_len(hash) != STORE_AUDIT_HASH_LEN)
			return false;
		const char *text = json_object_get_string(hash);
		for (size_t k = 0; k < STORE_AUDIT_HASH_LEN; k++)
			if (!isxdigit((unsigned char)text[k]))
				return false;
	}
	return true;
}

static void
verified(int r, json_object *answer, void *arg)
{
	struct call *c = arg;
	if (r == 0)
		call_reply(c, json_object_get(answer));
	else
		call_fail_errno(c, r);
}

/* Answered when the verification, in a thread of its own, is done. */
static int
do_verify(struct call *c, const void *args)
{
	const struct audit_args *a = args;
	struct call *later;

	if (!heads_valid(a->heads))
		return invalid_fieldv(c, "heads", KR(AUDIT_HEADS), 1, KHOA_STR(HEADS_MAX));
	if (!(later = call_defer(c)))
		return -ENOMEM;
	if (audit_watch_verify(call_daemon(c), a->heads, verified, later) < 0)
		return call_fail_errno(later, -ENOMEM);
	return 0;
}

static int
do_log(struct call *c, const void *args)
{
	const struct audit_args *a = args;
	struct store_page p;
	json_object *list;
	int r;

	if ((r = page_limit(c, &a->page, &p)) != 0)
		return r;
	if ((r = store_audit_log(call_daemon(c)->store, &p, &list)) < 0)
		return page_fail(c, r);
	return page_reply(c, "records", list, &p);
}

/* Who may look at the trail: those who answer for the record. Verify reads
 * the whole registry (a second or so for a province): not for anyone. */
static const struct method audit_methods[] = {
	{
		.name = "io.khoa.Audit.Verify",
		.admit = ADMIT_TECHNICIAN | ADMIT_ADMIN,
		.params = verify_params,
		.run = do_verify,
		.init = audit_args_init,
	},
	{
		.name = "io.khoa.Audit.Log",
		.admit = ADMIT_TECHNICIAN | ADMIT_ADMIN,
		.params = log_params,
		.run = do_log,
		.init = audit_args_init,
	},
	{ .name = NULL }
};

const struct interface api_audit = { "io.khoa.Audit", audit_methods };
