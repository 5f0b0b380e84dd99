/* Shared by the handlers of api/ (method-util.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "errors.h"
#include "events.h"
#include "jsonb.h"
#include "khoa-limits.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "inventory.h"
#include "registry.h"
#include "store-reading.h"

struct actor
call_actor(const struct call *c)
{
	const struct peer *p = call_peer(c);
	return (struct actor){ .uid = p->uid, .user = p->user };
}

int
invalid_field(struct call *c, const char *field, const char *rule)
{
	return call_fail(c, khoa_err_invalid_field(field, rule));
}

int
invalid_fieldv(struct call *c, const char *field, const char *rule, size_t n, ...)
{
	const char *args[KHOA_REASON_ARGS_MAX];
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n && i < KHOA_REASON_ARGS_MAX; i++)
		args[i] = va_arg(ap, const char *);
	va_end(ap);
	return call_fail(c, khoa_err_invalid_field_args(field, rule, args,
							n < KHOA_REASON_ARGS_MAX ? n
										 : KHOA_REASON_ARGS_MAX));
}

int
call_rule_violation(struct call *c, const struct rule_why *why)
{
	const char *args[KHOA_REASON_ARGS_MAX];
	for (size_t i = 0; i < why->n_args; i++)
		args[i] = why->args[i];
	log_info("%s (uid %u) refused %s: %s", call_peer(c)->user, (unsigned)call_peer(c)->uid,
		 call_method(c), why->text);
	return call_fail(c, khoa_err_rule_violation(why->rule, why->fact, args, why->n_args));
}

int
call_roles_on(struct call *c, enum subject_kind kind, int64_t id, unsigned *roles)
{
	struct scope s;
	int r = access_subject(call_daemon(c), kind, id, 0, NULL, &s);
	if (r < 0)
		return r;
	*roles = access_roles_for(call_caller(c), &s);
	return 0;
}

int
field_fail(struct call *c, int r, const char *field, const char *rule)
{
	return r == -EINVAL ? invalid_field(c, field, rule) : r;
}

int
validate_fields(struct call *c, const struct text_field *table, const void *args, void *values,
		unsigned *set)
{
	for (const struct text_field *f = table; f->name; f++) {
		const char *in = *(const char *const *)((const char *)args + f->in);
		const char *rule = NULL;
		int r;
		if (!in)
			continue;
		*set |= f->bit;
		if ((r = f->validate(in, (char **)((char *)values + f->out), &rule)) < 0)
			return field_fail(c, r, f->name, rule);
	}
	return 0;
}

int
registry_mutate(struct call *c, mutation_fn fn, void *arg)
{
	struct khoad *d = call_daemon(c);
	json_object *reply = NULL;
	int r;

	if ((r = registry_begin(d)) < 0)
		return r;
	if ((r = fn(c, d, arg, &reply)) != 0) {
		registry_rollback(d);
		json_object_put(reply);
		return r;
	}
	if ((r = registry_commit(d)) < 0) {	/* rolled back already */
		json_object_put(reply);
		return r;
	}
	return call_reply(c, reply ? reply : json_object_new_object());
}

int
call_personal(struct call *c, json_object *rec, personal_fn fn)
{
	struct personal_view v;
	personal_view_init(&v, call_daemon(c), call_caller(c));
	int r = fn(&v, rec);
	personal_view_end(&v);
	return r;
}

int
call_personal_each(struct call *c, json_object *list, personal_fn fn)
{
	struct personal_view v;
	personal_view_init(&v, call_daemon(c), call_caller(c));
	int r = personal_each(&v, list, fn);
	personal_view_end(&v);
	return r;
}

json_object *
reply_with(const char *key, json_object *value)
{
	struct jsonb b = jsonb_new();
	jsonb_put(&b, key, value);
	return jsonb_finish(&b);
}

void
page_args_init(struct page_args *a)
{
	a->limit = INT64_MIN;
	a->after = NULL;
}

int
page_limit(struct call *c, const struct page_args *a, struct store_page *out)
{
	int64_t limit = a->limit == INT64_MIN ? KHOA_PAGE_MAX : a->limit;

	*out = (struct store_page){ 0 };
	if (limit < 1 || limit > KHOA_PAGE_MAX)
		return invalid_fieldv(c, "limit", KR(RANGE), 2, "1", KHOA_STR(KHOA_PAGE_MAX));
	*out = (struct store_page){ .limit = (size_t)limit, .after = a->after };
	return 0;
}

int
page_fail(struct call *c, int r)
{
	return field_fail(c, r, "after", KR(PAGE_AFTER));
}

int
page_reply(struct call *c, const char *key, json_object *list, struct store_page *p)
{
	struct jsonb b = jsonb_new();
	jsonb_put(&b, key, list);
	jsonb_str(&b, "next", p->next);
	free(p->next);
	p->next = NULL;
	return call_reply(c, jsonb_finish(&b));
}

int
reply_reading(json_object *reply, const struct token_sighting *seen)
{
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "workstation", seen->workstation[0] ? seen->workstation : NULL);
	jsonb_str(&b, "last_seen", seen->last_seen[0] ? seen->last_seen : NULL);
	jsonb_bool(&b, "present", seen->present);
	json_object *reading = jsonb_finish(&b);
	if (!reading || json_object_object_add(reply, "reading", reading) < 0) {
		json_object_put(reading);
		return -ENOMEM;
	}
	return 0;
}

int
due_events(struct khoad *d, json_object *marked, const char *reason, const char *rule,
	   const struct actor *actor)
{
	int r = 0;
	for (size_t i = 0; r == 0 && marked && i < json_object_array_length(marked); i++) {
		json_object *m = json_object_array_get_idx(marked, i);
		struct jsonb b = jsonb_new();
		jsonb_str(&b, "serial", khoa_json_str(m, "certificate_serial"));
		jsonb_str(&b, "reason", reason);
		jsonb_str(&b, "rule", rule);
		r = events_record(d->events, "certificate.revocation_due",
				  khoa_json_str(m, "token_serial"), actor, jsonb_finish(&b));
	}
	return r;
}

int
token_or_record(struct khoad *d, const char *serial, struct khoa_token *copy,
		struct token_sighting *seen, const struct khoa_token **out)
{
	int r;

	*copy = (struct khoa_token){ 0 };
	*seen = (struct token_sighting){ 0 };
	if ((*out = inventory_find(d->inventory, serial)))
		return 0;
	if ((r = store_token_recorded(d->store, serial, copy, seen)) < 0)
		return r;
	*out = copy;
	return 1;
}
