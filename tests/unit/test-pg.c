/* daemon/store/pg: the placeholders in PostgreSQL's words, the servers
 * khoad takes and the failures it tells apart, without a server. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pg.h"
#include "translate.h"

/* SQL as PostgreSQL gets it, and how many parameters it names. */
static char *
translated(const char *sql, int map[PG_MAX_PARAMS + 1], int *n)
{
	char *out = NULL;
	if (pg_translate(sql, &out, map, n) != 0)
		fail_msg("'%s' was refused", sql);
	return out;
}

static void
expect(const char *sql, const char *want, int want_n)
{
	int map[PG_MAX_PARAMS + 1], n;
	char *out = translated(sql, map, &n);
	assert_string_equal(out, want);
	assert_int_equal(n, want_n);
	free(out);
}

static void
test_bare_and_numbered(void **state)
{
	(void)state;
	expect("SELECT 1", "SELECT 1", 0);
	expect("INSERT INTO t VALUES (?, ?, ?)", "INSERT INTO t VALUES ($1, $2, $3)", 3);
	/* a number used twice is one parameter */
	expect("WHERE ?1 IS NULL OR a = ?1", "WHERE $1 IS NULL OR a = $1", 1);
	/* SQLite's rule: a bare ? is one more than the largest before it */
	expect("?2, ?, ?1", "$2, $3, $1", 3);
}

static void
test_gaps_are_closed(void **state)
{
	int map[PG_MAX_PARAMS + 1], n;
	(void)state;
	/* seal_log's statements name ?1 and ?9 only: PostgreSQL could not
	 * type the seven between */
	char *out = translated("a = ?1 AND due <= ?9", map, &n);
	assert_string_equal(out, "a = $1 AND due <= $2");
	assert_int_equal(n, 2);
	assert_int_equal(map[1], 1);
	assert_int_equal(map[9], 2);
	assert_int_equal(map[5], 0);	/* a bind to it is dropped */
	free(out);
}

static void
test_literals_and_comments(void **state)
{
	(void)state;
	expect("SELECT '?', \"a?\" -- what?\n, ?", "SELECT '?', \"a?\" -- what?\n, $1", 1);
	expect("SELECT 'it''s ?' || ?", "SELECT 'it''s ?' || $1", 1);
	expect("/* ? */ SELECT ?3", "/* ? */ SELECT $1", 1);
}

static void
test_refused(void **state)
{
	int map[PG_MAX_PARAMS + 1], n;
	char *out = (char *)1;
	(void)state;
	/* dollar quoting or a $n of one's own: not in the area files' SQL */
	assert_int_equal(pg_translate("SELECT $1", &out, map, &n), -EINVAL);
	assert_null(out);
	assert_int_equal(pg_translate("SELECT ?101", &out, map, &n), -EINVAL);
	/* but a $ inside a literal is text */
	expect("SELECT '$5'", "SELECT '$5'", 0);
}

static void
test_versions(void **state)
{
	(void)state;
	assert_false(pg_version_supported(140011));	/* 14.11 */
	assert_true(pg_version_supported(150018));	/* 15.18, Debian 12's */
	assert_true(pg_version_supported(170002));
	assert_false(pg_version_supported(180000));	/* not tested yet */
	assert_false(pg_version_supported(0));		/* no connection */
}

static void
test_sqlstates(void **state)
{
	(void)state;
	assert_int_equal(pg_sqlstate_errno("23505"), -EEXIST);	/* unique */
	assert_int_equal(pg_sqlstate_errno("23503"), -EEXIST);	/* foreign key */
	assert_int_equal(pg_sqlstate_errno("42501"), -EACCES);	/* row-level security */
	assert_int_equal(pg_sqlstate_errno("40001"), -EAGAIN);
	assert_int_equal(pg_sqlstate_errno("40P01"), -EAGAIN);
	assert_int_equal(pg_sqlstate_errno("55P03"), -EBUSY);
	assert_int_equal(pg_sqlstate_errno("57014"), -ETIMEDOUT);
	assert_int_equal(pg_sqlstate_errno("08006"), -ENOTCONN);
	assert_int_equal(pg_sqlstate_errno("57P01"), -ENOTCONN);	/* admin shutdown */
	assert_int_equal(pg_sqlstate_errno("25006"), -ENOTCONN);	/* a standby */
	assert_int_equal(pg_sqlstate_errno(NULL), -ENOTCONN);
	assert_int_equal(pg_sqlstate_errno("42P01"), -EIO);	/* no such table */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_and_numbered),
		cmocka_unit_test(test_gaps_are_closed),
		cmocka_unit_test(test_literals_and_comments),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_sqlstates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
