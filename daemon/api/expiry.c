/* io.khoa.Expiry: the certificates coming to the end of their validity and
 * whether they can still be renewed (R-RENEW-60D, R-RENEW-ONCE); those due
 * for revocation and the tokens not handed back after it (issue 16). */
#include <errno.h>
#include <stdint.h>

#include "expiry.h"
#include "jsonb.h"
#include "khoa-limits.h"
#include "khoad.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "rules.h"
#include "store-revocation-due.h"

struct expiry_args {
	int64_t days;
	struct page_args page;
};
METHOD_ARGS_FIT(struct expiry_args);

static void
expiry_args_init(void *args)
{
	struct expiry_args *a = args;
	a->days = INT64_MIN;	/* not given */
	page_args_init(&a->page);
}

static const struct khoa_param expiring_params[] = {
	{ "days", KHOA_PARAM_INT, offsetof(struct expiry_args, days), false },
	PAGE_PARAMS(struct expiry_args, page),
	{ NULL }
};

static int
do_expiring(struct call *c, const void *args)
{
	const struct expiry_args *a = args;
	struct khoad *d = call_daemon(c);
	struct store_page p;
	json_object *list;
	int64_t days = a->days == INT64_MIN ? expiry_horizon(d) : a->days;
	int r;

	if (days < 0 || days > KHOA_EXPIRY_DAYS_MAX)
		return invalid_fieldv(c, "days", KR(RANGE), 2, "0", KHOA_STR(KHOA_EXPIRY_DAYS_MAX));
	if ((r = page_limit(c, &a->page, &p)) != 0)
		return r;
	if ((r = expiry_list(d, (int)days, &p, &list)) < 0)
		return page_fail(c, r);
	return page_reply(c, "certificates", list, &p);
}

/* The revocations due and the tokens not handed back (issue 16). */
static int
do_due(struct call *c, const void *args)
{
	struct khoad *d = call_daemon(c);
	json_object *due = NULL, *unreturned = NULL;
	int r;

	(void)args;
	if ((r = store_due_list(d->store, &due)) < 0 ||
	    (r = store_unreturned(d->store, &unreturned)) < 0) {
		json_object_put(due);
		return r;
	}
	struct jsonb b = jsonb_new();
	jsonb_put(&b, "due", due);
	jsonb_put(&b, "unreturned", unreturned);
	jsonb_int(&b, "return_days", d->rules->return_days);
	return call_reply(c, jsonb_finish(&b));
}

static const struct method expiry_methods[] = {
	{
		.name = "io.khoa.Expiry.Expiring",
		.admit = ADMIT_ANYONE,
		.snapshot = true,	/* the certificates of the tokens present recorded first */
		.params = expiring_params,
		.run = do_expiring,
		.init = expiry_args_init,
	},
	{
		.name = "io.khoa.Expiry.Due",
		.admit = ADMIT_ANYONE,
		.snapshot = true,
		.run = do_due,
	},
	{ .name = NULL }
};

const struct interface api_expiry = { "io.khoa.Expiry", expiry_methods };
