/* io.khoa.Certificates: every certificate on the tokens present. */
#include "inventory.h"
#include "khoad.h"
#include "api.h"
#include "methods.h"

static int
list(struct call *c, const void *args)
{
	const char *msg;
	size_t len;
	inventory_certs_reply(call_daemon(c)->inventory, &msg, &len);
	return call_reply_message(c, msg, len);
}

static const struct method certificates_methods[] = {
	{
		.name = "io.khoa.Certificates.List",
		.admit = ADMIT_ANYONE,
		.snapshot = true,
		.run = list,
	},
	{ .name = NULL }
};

const struct interface api_certificates = { "io.khoa.Certificates", certificates_methods };
