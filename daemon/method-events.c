/* io.khoa.Events.Watch: the stream of events. */
#include <stdint.h>

#include "errors.h"
#include "events.h"
#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "methods.h"

struct watch_args {
	int64_t since;		/* -1: only new events */
	const char *serial;
};
METHOD_ARGS_FIT(struct watch_args);

static void
watch_init(void *args)
{
	((struct watch_args *)args)->since = -1;
}

static const struct khoa_param watch_params[] = {
	{ "since", KHOA_PARAM_INT, offsetof(struct watch_args, since), false },
	{ "serial", KHOA_PARAM_STRING, offsetof(struct watch_args, serial), false },
	{ NULL }
};

static void
watch(struct call *c, const void *args)
{
	const struct watch_args *a = args;
	struct call *stream;
	int r;

	if (!(call_flags(c) & KHOA_CALL_MORE)) {
		call_error(c, khoa_error_new(VARLINK_ERROR_EXPECTED_MORE,
					     json_object_new_object()));
		return;
	}
	if (!(stream = call_defer(c))) {
		call_error(c, NULL);
		return;
	}
	if ((r = events_watch(call_daemon(stream)->events, stream, a->since < 0 ? -1 : a->since,
			      a->serial)) < 0)
		reply_store_error(stream, r);
}

const struct method method_events_watch = {
	.name = "io.khoa.Events.Watch",
	.roles = ROLES_ANYONE,
	.params = watch_params,
	.run = watch,
	.init = watch_init,
};
