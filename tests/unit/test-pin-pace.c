/*
 * Unit tests of daemon/devices/pin-pace.h: the delay after each wrong PIN
 * in a row, what a right PIN and a refused try do to it, the two PINs of a
 * token counted apart, a count forgotten after a quiet hour, and the bound
 * on how many are kept. Time is passed in: nothing here waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "pin-pace.h"

#define S 1000000000LL		/* one second, in the module's nanoseconds */
#define T0 (1000 * S)		/* an arbitrary CLOCK_MONOTONIC reading */

static int
setup(void **state)
{
	*state = pin_pace_new();
	return *state ? 0 : -1;
}

static int
teardown(void **state)
{
	pin_pace_free(*state);
	return 0;
}

static void
delays_double_up_to_the_cap(void **state)
{
	(void)state;
	static const unsigned want[] = { 0, 1, 2, 4, 8, 16, 32, 60, 60, 60 };
	for (unsigned n = 0; n < sizeof(want) / sizeof(*want); n++)
		assert_int_equal(pin_pace_delay(n), want[n]);
	assert_int_equal(pin_pace_delay(1000), PIN_PACE_CAP_S);
	assert_int_equal(pin_pace_delay(~0u), PIN_PACE_CAP_S);
}

/* Each wrong try, made once the previous delay ran out, doubles the next. */
static void
wrong_tries_in_a_row(void **state)
{
	struct pin_pace *p = *state;
	int64_t now = T0;

	assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, now), 0);
	for (unsigned n = 1; n <= 9; n++) {
		unsigned d = pin_pace_delay(n);
		assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, now), (int)d);
		/* rounded up: 1 ns after the answer the whole delay is left */
		assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, now + 1), d);
		assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, now + (int64_t)d * S - 1), 1);
		now += (int64_t)d * S;
		assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, now), 0);
	}
	assert_int_equal(pin_pace_count(p), 1);
}

/* Asking does not lengthen the delay: only the token's answers count. */
static void
refusals_cost_nothing(void **state)
{
	struct pin_pace *p = *state;

	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0), 1);
	for (int i = 0; i < 100; i++)
		assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, T0 + i * (S / 200)), 1);
	assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, T0 + S), 0);
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0 + S), 2);
}

static void
a_right_pin_starts_over(void **state)
{
	struct pin_pace *p = *state;

	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0), 1);
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0 + S), 2);
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0 + 3 * S), 4);
	pin_pace_right(p, "A", PIN_KIND_USER);
	assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, T0 + 3 * S), 0);
	assert_int_equal(pin_pace_count(p), 0);
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0 + 4 * S), 1);
	pin_pace_right(p, "B", PIN_KIND_USER);	/* unknown: nothing to forget */
	assert_int_equal(pin_pace_count(p), 1);
}

/* The SO PIN and the user PIN of a token, and two tokens, apart. */
static void
counted_apart(void **state)
{
	struct pin_pace *p = *state;

	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_SO, T0), 1);
	assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_USER, T0), 0);
	assert_int_equal(pin_pace_wait(p, "B", PIN_KIND_SO, T0), 0);
	assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_SO, T0), 1);
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0), 1);
	pin_pace_right(p, "A", PIN_KIND_USER);
	assert_int_equal(pin_pace_wait(p, "A", PIN_KIND_SO, T0), 1);
	assert_int_equal(pin_pace_count(p), 1);
}

/* An hour with no wrong try after the delay ran out: a wrong try starts
 * at 1 s again. A minute short of it: it goes on doubling. */
static void
forgotten_after_a_quiet_hour(void **state)
{
	struct pin_pace *p = *state;
	int64_t hour = (int64_t)PIN_PACE_FORGET_S * S;

	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0), 1);
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0 + S), 2);
	/* its delay ran out at T0 + 3 s */
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, T0 + 3 * S + hour - 60 * S), 4);
	int64_t end = T0 + 3 * S + hour - 60 * S + 4 * S;
	assert_int_equal(pin_pace_wrong(p, "A", PIN_KIND_USER, end + hour), 1);
	/* and a stale count goes when room is made for another */
	assert_int_equal(pin_pace_wrong(p, "B", PIN_KIND_USER, end + 3 * hour), 1);
	assert_int_equal(pin_pace_count(p), 1);
}

/* At the bound, the count whose delay ran out first makes room. */
static void
bounded(void **state)
{
	struct pin_pace *p = *state;
	char serial[32];

	for (int i = 0; i < PIN_PACE_MAX; i++) {
		snprintf(serial, sizeof(serial), "T%d", i);
		assert_int_equal(pin_pace_wrong(p, serial, PIN_KIND_USER, T0 + i), 1);
	}
	assert_int_equal(pin_pace_count(p), PIN_PACE_MAX);
	assert_int_equal(pin_pace_wrong(p, "new", PIN_KIND_USER, T0 + PIN_PACE_MAX), 1);
	assert_int_equal(pin_pace_count(p), PIN_PACE_MAX);
	assert_int_equal(pin_pace_wait(p, "T0", PIN_KIND_USER, T0), 0);	/* dropped */
	assert_int_equal(pin_pace_wait(p, "T1", PIN_KIND_USER, T0 + 1), 1);	/* kept */
	assert_int_equal(pin_pace_wait(p, "new", PIN_KIND_USER, T0 + PIN_PACE_MAX), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delays_double_up_to_the_cap),
		cmocka_unit_test_setup_teardown(wrong_tries_in_a_row, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals_cost_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_right_pin_starts_over, setup, teardown),
		cmocka_unit_test_setup_teardown(counted_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(forgotten_after_a_quiet_hour, setup, teardown),
		cmocka_unit_test_setup_teardown(bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
