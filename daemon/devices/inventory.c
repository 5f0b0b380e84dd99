/* Latest scan per module, merged and serialized once per snapshot. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "jsonb.h"
#include "message.h"
#include "token-json.h"

struct module_state {
	const char *name;	/* borrowed from the module, immutable */
	const char *path;
	struct khoa_scan scan;
	bool scanned;
	struct timespec scanned_at;
};

struct inventory {
	inventory_registration_fn registration;
	void *userdata;
	struct module_state *mods;
	size_t n_mods;
	struct timespec time;
	size_t n_tokens, n_certs;
	char *tokens_reply, *certs_reply;
	size_t tokens_reply_len, certs_reply_len;
};

static const char empty_tokens[] = "{\"parameters\":{\"tokens\":[]}}";
static const char empty_certs[] = "{\"parameters\":{\"certificates\":[]}}";

struct inventory *
inventory_new(const struct khoa_module *const *modules, size_t n,
	      inventory_registration_fn registration, void *userdata)
{
	struct inventory *inv = calloc(1, sizeof(*inv));
	if (!inv || !(inv->mods = calloc(n + 1, sizeof(*inv->mods)))) {
		free(inv);
		return NULL;
	}
	inv->registration = registration;
	inv->userdata = userdata;
	inv->n_mods = n;
	for (size_t i = 0; i < n; i++) {
		inv->mods[i].name = khoa_module_name(modules[i]);
		inv->mods[i].path = khoa_module_path(modules[i]);
	}
	return inv;
}

void
inventory_free(struct inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->n_mods; i++)
		khoa_scan_clear(&inv->mods[i].scan);
	free(inv->mods);
	free(inv->tokens_reply);
	free(inv->certs_reply);
	free(inv);
}

static int
append(json_object *array, json_object *item)
{
	if (!item || json_object_array_add(array, item) < 0) {
		json_object_put(item);
		return -ENOMEM;
	}
	return 0;
}

/* A token as io.khoa.Tokens shows it: read from the device, with its
 * registration from the registry. */
static int
token_with_registration(const struct inventory *inv, const struct khoa_token *t,
			json_object **out)
{
	json_object *reg = NULL;
	int r = inv->registration(t->serial, &reg, inv->userdata);
	if (r < 0)
		return r;
	json_object *obj = token_json(t);
	if (!obj || json_object_object_add(obj, "registration", reg) < 0) {
		json_object_put(obj);
		json_object_put(reg);
		return -ENOMEM;
	}
	*out = obj;
	return 0;
}

int
inventory_rebuild(struct inventory *inv)
{
	json_object *tokens = json_object_new_array(), *certs = json_object_new_array();
	size_t n_tokens = 0, n_certs = 0;
	int r = -ENOMEM;

	if (!tokens || !certs)
		goto fail;
	for (size_t m = 0; m < inv->n_mods; m++) {
		const struct khoa_token_list *l = &inv->mods[m].scan.tokens;
		for (size_t t = 0; t < l->n; t++) {
			const struct khoa_token *tok = &l->tokens[t];
			json_object *obj;
			if ((r = token_with_registration(inv, tok, &obj)) < 0)
				goto fail;
			r = -ENOMEM;
			if (append(tokens, obj) < 0)
				goto fail;
			for (size_t c = 0; c < tok->n_certs; c++)
				if (append(certs, cert_json(&tok->certs[c], tok)) < 0)
					goto fail;
			n_tokens++;
			n_certs += tok->n_certs;
		}
	}

	size_t tlen, clen;
	char *treply = khoa_reply_encode("tokens", tokens, false, &tlen);
	tokens = NULL;
	char *creply = khoa_reply_encode("certificates", certs, false, &clen);
	certs = NULL;
	if (!treply || !creply) {
		free(treply);
		free(creply);
		return r;
	}
	free(inv->tokens_reply);
	free(inv->certs_reply);
	inv->tokens_reply = treply;
	inv->tokens_reply_len = tlen;
	inv->certs_reply = creply;
	inv->certs_reply_len = clen;
	inv->n_tokens = n_tokens;
	inv->n_certs = n_certs;
	clock_gettime(CLOCK_REALTIME, &inv->time);
	return 0;
fail:
	json_object_put(tokens);
	json_object_put(certs);
	return r;
}

void
inventory_update(struct inventory *inv, size_t i, struct khoa_scan *scan)
{
	struct module_state *m = &inv->mods[i];

	khoa_scan_clear(&m->scan);
	m->scan = *scan;
	memset(scan, 0, sizeof(*scan));
	m->scanned = true;
	clock_gettime(CLOCK_REALTIME, &m->scanned_at);
}

const struct khoa_token_list *
inventory_module_tokens(const struct inventory *inv, size_t i, const char **error)
{
	*error = inv->mods[i].scan.error;
	return &inv->mods[i].scan.tokens;
}

size_t
inventory_n_modules(const struct inventory *inv)
{
	return inv->n_mods;
}

void
inventory_module(const struct inventory *inv, size_t i, struct inventory_module *out)
{
	const struct module_state *m = &inv->mods[i];
	*out = (struct inventory_module){
		.name = m->name,
		.path = m->path,
		.description = m->scan.description,
		.manufacturer = m->scan.manufacturer,
		.version = m->scan.version,
		.n_slots = m->scan.n_slots,
		.reinitialize = m->scan.reinitialize,
		.scanned = m->scanned,
		.scanned_at = m->scanned_at,
		.error = m->scan.error,
		.n_tokens = m->scan.tokens.n,
	};
}

bool
inventory_complete(const struct inventory *inv)
{
	for (size_t i = 0; i < inv->n_mods; i++)
		if (!inv->mods[i].scanned)
			return false;
	return true;
}

size_t
inventory_n_tokens(const struct inventory *inv)
{
	return inv->n_tokens;
}

size_t
inventory_n_certs(const struct inventory *inv)
{
	return inv->n_certs;
}

struct timespec
inventory_time(const struct inventory *inv)
{
	return inv->time;
}

void
inventory_tokens_reply(const struct inventory *inv, const char **msg, size_t *len)
{
	*msg = inv->tokens_reply ? inv->tokens_reply : empty_tokens;
	*len = inv->tokens_reply ? inv->tokens_reply_len : sizeof(empty_tokens);
}

void
inventory_certs_reply(const struct inventory *inv, const char **msg, size_t *len)
{
	*msg = inv->certs_reply ? inv->certs_reply : empty_certs;
	*len = inv->certs_reply ? inv->certs_reply_len : sizeof(empty_certs);
}

const struct khoa_token *
inventory_find_in(const struct inventory *inv, const char *serial, size_t *module)
{
	for (size_t m = 0; m < inv->n_mods; m++) {
		const struct khoa_token_list *l = &inv->mods[m].scan.tokens;
		for (size_t t = 0; t < l->n; t++) {
			if (strcmp(l->tokens[t].serial, serial) != 0)
				continue;
			if (module)
				*module = m;
			return &l->tokens[t];
		}
	}
	return NULL;
}

const struct khoa_token *
inventory_find(const struct inventory *inv, const char *serial)
{
	return inventory_find_in(inv, serial, NULL);
}

bool
inventory_set_flags(struct inventory *inv, const char *serial, unsigned long flags)
{
	struct khoa_token *t = (struct khoa_token *)inventory_find(inv, serial);
	if (!t)
		return false;
	t->flags = flags;
	return true;
}

int
inventory_token_json(const struct inventory *inv, const char *serial, json_object **out)
{
	const struct khoa_token *t = inventory_find(inv, serial);
	*out = NULL;
	return t ? token_with_registration(inv, t, out) : -ENOENT;
}
