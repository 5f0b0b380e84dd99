/* org.varlink.service: the service's self-description. */
#include "config.h"
#include "errors.h"
#include "idl.h"
#include "jsonb.h"
#include "message.h"
#include "api.h"
#include "methods.h"

static int
get_info(struct call *c, const void *args)
{
	struct jsonb b = jsonb_new();
	json_object *ifaces = json_object_new_array();

	jsonb_str(&b, "vendor", "khoa");
	jsonb_str(&b, "product", "khoad");
	jsonb_str(&b, "version", VERSION);
	jsonb_str(&b, "url", "https://github.com/khoa-project/khoa");
	jsonb_put(&b, "interfaces", ifaces);
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; b.ok && i->name; i++)
		jsonb_append(&b, ifaces, json_object_new_string(i->name));
	return call_reply(c, jsonb_finish(&b));
}

struct describe_args {
	const char *interface;
};
METHOD_ARGS_FIT(struct describe_args);

static const struct khoa_param describe_params[] = {
	{ "interface", KHOA_PARAM_STRING, offsetof(struct describe_args, interface), true },
	{ NULL }
};

static int
get_interface_description(struct call *c, const void *args)
{
	const struct describe_args *a = args;
	const struct khoa_idl_interface *i = khoa_idl_find(a->interface);
	if (!i)
		return call_fail(c, khoa_err_interface_not_found(a->interface));
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "description", i->description);
	return call_reply(c, jsonb_finish(&b));
}

static const struct method varlink_service_methods[] = {
	{
		.name = "org.varlink.service.GetInfo",
		.admit = ADMIT_ANYONE,
		.run = get_info,
	},
	{
		.name = "org.varlink.service.GetInterfaceDescription",
		.admit = ADMIT_ANYONE,
		.params = describe_params,
		.run = get_interface_description,
	},
	{ .name = NULL }
};

const struct interface api_varlink_service = { "org.varlink.service", varlink_service_methods };
