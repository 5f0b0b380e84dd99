/* io.khoa.Tokens: the tokens present, from the latest snapshot. */
#include <errno.h>

#include "errors.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "methods.h"
#include "scanner.h"

static void
list(struct call *c, const void *args)
{
	const char *msg;
	size_t len;
	inventory_tokens_reply(call_daemon(c)->inventory, &msg, &len);
	call_reply_message(c, msg, len);
}

struct get_args {
	const char *serial;
};
METHOD_ARGS_FIT(struct get_args);

static const struct khoa_param get_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct get_args, serial), true },
	{ NULL }
};

static void
get(struct call *c, const void *args)
{
	const struct get_args *a = args;
	json_object *token;
	int r = inventory_token_json(call_daemon(c)->inventory, a->serial, &token);

	if (r == -ENOENT)
		call_error(c, khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", a->serial,
					      "no token with serial %s is present", a->serial));
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "token", token);
}

static void
rescan_done(bool complete, void *userdata)
{
	struct call *c = userdata;
	unsigned timeout = call_daemon(c)->rescan_timeout_s;

	if (!complete) {
		call_error(c, khoa_error_add_int(
			khoa_error_newf(KHOA_ERROR_TIMEOUT, NULL, NULL,
					"a module did not finish its scan within %u seconds", timeout),
			"seconds", timeout));
		return;
	}
	list(c, NULL);
}

static void
rescan(struct call *c, const void *args)
{
	struct khoad *d = call_daemon(c);
	struct call *later = call_defer(c);
	if (!later) {
		call_error(c, NULL);
		return;
	}
	log_debug("rescan asked by uid %u", (unsigned)call_peer(c)->uid);
	if (scanner_rescan(d->scanner, d->rescan_timeout_s, rescan_done, later) < 0)
		call_error(later, NULL);
}

const struct method method_tokens_list = {
	.name = "io.khoa.Tokens.List",
	.roles = ROLES_ANYONE,
	.snapshot = true,
	.run = list,
};
const struct method method_tokens_get = {
	.name = "io.khoa.Tokens.Get",
	.roles = ROLES_ANYONE,
	.snapshot = true,
	.params = get_params,
	.run = get,
};
/* Reading the devices again changes nothing in them: any reader may ask. */
const struct method method_tokens_rescan = {
	.name = "io.khoa.Tokens.Rescan",
	.roles = ROLES_ANYONE,
	.run = rescan,
};
