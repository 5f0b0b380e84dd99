/* io.khoa: the base interface (its errors are every interface's), and Ping. */
#include "config.h"
#include "jsonb.h"
#include "api.h"
#include "methods.h"

static int
ping(struct call *c, const void *args)
{
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "version", VERSION);
	return call_reply(c, jsonb_finish(&b));
}

static const struct method khoa_methods[] = {
	{
		.name = "io.khoa.Ping",
		.admit = ADMIT_ANYONE,
		.run = ping,
	},
	{ .name = NULL }
};

const struct interface api_khoa = { "io.khoa", khoa_methods };
