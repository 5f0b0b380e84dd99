/*
 * Unit tests of daemon/registry/personal.h: the table of personal fields
 * held to the interface files (each such field of its record optional
 * there, and the record able to say "withheld"), records without them still
 * valid replies, and who sees what for the callers that need no look-up in
 * the registry (a technician, a person and their own record, a stranger).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "idl.h"
#include "personal.h"
#include "roles.h"

/* Where each record is in the interface files: the struct under MEMBER of
 * METHOD's reply, and under FIELD of that when not NULL. */
static const struct {
	enum personal_record kind;
	const char *method, *member, *field;
} records[] = {
	{ PERSONAL_PERSON, "io.khoa.People.Get", "person", NULL },
	{ PERSONAL_FORM, "io.khoa.PinRequests.Get", "request", "form" },
	{ PERSONAL_PARTY, "io.khoa.Handovers.Get", "handover", "giver" },
	{ PERSONAL_REPRESENTATIVE, "io.khoa.Handovers.Get", "handover", "receiver" },
};

static const struct khoa_idl_field *
field_of(const struct khoa_idl_type *t, const char *name)
{
	for (const struct khoa_idl_field *f = t && t->fields ? t->fields : NULL; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static const struct khoa_idl_type *
record_type(size_t i)
{
	const struct khoa_idl_method *m = khoa_idl_method(records[i].method);
	assert_non_null(m);
	const struct khoa_idl_field *f = field_of(m->out, records[i].member);
	assert_non_null(f);
	if (records[i].field) {
		f = field_of(f->type, records[i].field);
		assert_non_null(f);
	}
	assert_int_equal(f->type->kind, KHOA_IDL_STRUCT);
	return f->type;
}

/* Every personal field is a string field of its record that may be absent,
 * and the record has an optional "withheld" array of strings. */
static void
test_table_matches_interfaces(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(records) / sizeof(*records); i++) {
		const struct khoa_idl_type *t = record_type(i);
		const char *name;
		size_t n = 0;
		for (; (name = personal_field_name(records[i].kind, n)); n++) {
			const struct khoa_idl_field *f = field_of(t, name);
			print_message("%s.%s\n", t->name, name);
			assert_non_null(f);
			assert_true(f->optional);
			assert_int_equal(f->type->kind, KHOA_IDL_STRING);
			assert_true(personal_field(records[i].kind, name));
		}
		assert_true(n > 0);
		const struct khoa_idl_field *w = field_of(t, "withheld");
		assert_non_null(w);
		assert_true(w->optional);
		assert_int_equal(w->type->kind, KHOA_IDL_ARRAY);
		/* names and organizations' addresses stay */
		assert_false(personal_field(records[i].kind, "full_name"));
		assert_false(personal_field(records[i].kind, "name"));
		assert_false(personal_field(records[i].kind, "email"));
	}
	/* a person's address is theirs (issue 17: kept in the record), an
	 * organization's is everyone's */
	assert_true(personal_field(PERSONAL_PERSON, "address"));
	assert_true(personal_field(PERSONAL_PARTY, "address"));
	assert_false(personal_field(PERSONAL_PERSON, "manager_phone"));
	/* an organization's address is its own; its representative's ID card
	 * is a person's */
	assert_false(personal_field(PERSONAL_REPRESENTATIVE, "address"));
	assert_true(personal_field(PERSONAL_REPRESENTATIVE, "id_number"));
	assert_true(personal_field(PERSONAL_PARTY, "id_issued_by"));
}

static json_object *
person(int64_t id, int64_t org)
{
	json_object *p = json_tokener_parse(
		"{\"full_name\":\"Nguyễn Thị Hường\",\"id_number\":\"034186000123\","
		"\"birth_date\":\"1986-03-12\",\"phone\":\"0912345678\",\"position\":\"Kế toán\","
		"\"sex\":\"female\",\"birth_place\":\"Thái Bình\",\"fax\":\"02273831234\","
		"\"address\":\"Số 5 Lý Thường Kiệt\",\"id_issued_on\":\"2021-04-10\","
		"\"email\":\"huong@stc.thaibinh.gov.vn\",\"logins\":[],\"clerk\":false,"
		"\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");
	assert_non_null(p);
	json_object_object_add(p, "id", json_object_new_int64(id));
	if (org)
		json_object_object_add(p, "organization_id", json_object_new_int64(org));
	return p;
}

/* Withheld: the fields absent (not empty), named, and the record still a
 * Person of the interface. */
static void
test_withhold(void **state)
{
	(void)state;
	json_object *p = person(1, 0), *v;
	char why[256];

	assert_int_equal(personal_withhold(p, PERSONAL_PERSON), 0);
	assert_false(json_object_object_get_ex(p, "id_number", NULL));
	assert_false(json_object_object_get_ex(p, "birth_date", NULL));
	assert_false(json_object_object_get_ex(p, "phone", NULL));
	assert_false(json_object_object_get_ex(p, "sex", NULL));
	assert_false(json_object_object_get_ex(p, "birth_place", NULL));
	assert_false(json_object_object_get_ex(p, "fax", NULL));
	assert_false(json_object_object_get_ex(p, "address", NULL));
	assert_false(json_object_object_get_ex(p, "id_issued_on", NULL));
	assert_true(json_object_object_get_ex(p, "full_name", &v));
	assert_true(json_object_object_get_ex(p, "email", &v));
	assert_true(json_object_object_get_ex(p, "withheld", &v));
	assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
			    "[\"id_number\",\"id_issued_on\",\"id_issued_by\",\"sex\","
			    "\"birth_date\",\"birth_place\",\"phone\",\"fax\",\"address\"]");
	assert_int_equal(khoa_idl_validate(record_type(0), p, why, sizeof(why)), 0);
	json_object_put(p);
}

/* Who sees, for callers that need no look-up: the view never reaches the
 * store (there is none here). */
static void
test_view_without_lookups(void **state)
{
	(void)state;
	struct khoad d = { 0 };
	struct caller tech = { .roles = ROLE_TECHNICIAN }, holder = { .person = 7 }, stranger = { 0 };
	struct personal_view v;
	json_object *p;

	personal_view_init(&v, &d, &tech);
	assert_true(v.all);
	p = person(9, 3);
	assert_int_equal(personal_person(&v, p), 0);
	assert_true(json_object_object_get_ex(p, "id_number", NULL));
	json_object_put(p);
	personal_view_end(&v);

	personal_view_init(&v, &d, &holder);
	assert_false(v.all);
	p = person(7, 3);
	assert_int_equal(personal_person(&v, p), 0);
	assert_true(json_object_object_get_ex(p, "id_number", NULL));
	assert_false(json_object_object_get_ex(p, "withheld", NULL));
	json_object_put(p);
	p = person(8, 3);
	assert_int_equal(personal_person(&v, p), 0);
	assert_false(json_object_object_get_ex(p, "id_number", NULL));
	json_object_put(p);
	personal_view_end(&v);

	/* a stranger: a PIN-recovery form's token is not looked up either */
	personal_view_init(&v, &d, &stranger);
	json_object *req = json_tokener_parse(
		"{\"token_serial\":\"A1\",\"form\":{\"subscriber_name\":\"NGUYỄN THỊ HƯỜNG\","
		"\"sex\":\"Nữ\",\"id_number\":\"034186000123\",\"manager_phone\":\"0227\","
		"\"token_serial\":\"A1\"}}");
	assert_int_equal(personal_pin_request(&v, req), 0);
	json_object *form = json_object_object_get(req, "form");
	assert_false(json_object_object_get_ex(form, "id_number", NULL));
	assert_false(json_object_object_get_ex(form, "sex", NULL));
	assert_false(json_object_object_get_ex(form, "manager_phone", NULL));
	assert_true(json_object_object_get_ex(form, "subscriber_name", NULL));
	json_object_put(req);
	/* a handover: an organization's address stays, a typed party's goes */
	json_object *h = json_tokener_parse(
		"{\"id\":2,\"giver\":{\"organization_id\":1,\"name\":\"Sở TT&TT\",\"address\":\"Số 1\"},"
		"\"receiver\":{\"name\":\"Lê Văn A\",\"address\":\"Thôn 2\"}}");
	assert_int_equal(personal_handover(&v, h), 0);
	assert_true(json_object_object_get_ex(json_object_object_get(h, "giver"), "address", NULL));
	assert_false(json_object_object_get_ex(json_object_object_get(h, "receiver"), "address",
					       NULL));
	json_object_put(h);
	personal_view_end(&v);
}

/* Only a person.* event carries personal data; its copy without it leaves
 * the event itself whole (it goes to other watchers too). */
static void
test_events(void **state)
{
	(void)state;
	json_object *ev = json_tokener_parse("{\"id\":1,\"type\":\"person.created\",\"details\":{}}");
	json_object *org = json_tokener_parse(
		"{\"id\":2,\"type\":\"organization.created\",\"details\":{\"address\":\"Số 1\"}}");
	json_object *p = person(5, 0), *copy;

	json_object_object_add(ev, "details", p);
	assert_true(personal_in_event(ev));
	assert_false(personal_in_event(org));
	assert_non_null(copy = personal_event_withheld(ev));
	assert_false(json_object_object_get_ex(json_object_object_get(copy, "details"),
					       "id_number", NULL));
	assert_true(json_object_object_get_ex(p, "id_number", NULL));
	json_object_put(copy);
	json_object_put(ev);
	json_object_put(org);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_interfaces),
		cmocka_unit_test(test_withhold),
		cmocka_unit_test(test_view_without_lookups),
		cmocka_unit_test(test_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
