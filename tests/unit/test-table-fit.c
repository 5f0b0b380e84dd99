/* client/table-fit.c: a table fitted to a width, and text wrapped between
 * words (issue 17, item 5). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "table-fit.h"

void die_oom(void);
void
die_oom(void)
{
	fail_msg("out of memory");
	abort();
}

static void
wraps_to(const char *text, size_t width, const char *want)
{
	char *got = table_fit_wrap(text, width);
	assert_string_equal(got, want);
	free(got);
}

static void
test_width_is_display_columns(void **state)
{
	assert_int_equal(table_fit_text_width("Văn phòng"), 9);
	assert_int_equal(table_fit_text_width("Nguyễn Thị\nPhương Thảo Hoàng"), 17);
	assert_int_equal(table_fit_text_width(""), 0);
	assert_int_equal(table_fit_text_width(NULL), 0);
}

static void
test_wrap_between_words(void **state)
{
	wraps_to("Nguyễn Thị Phương Thảo Hoàng Lan", 40, "Nguyễn Thị Phương Thảo Hoàng Lan");
	wraps_to("Nguyễn Thị Phương Thảo Hoàng Lan", 12, "Nguyễn Thị\nPhương Thảo\nHoàng Lan");
	wraps_to("Nguyễn Thị Phương Thảo Hoàng Lan", 17, "Nguyễn Thị Phương\nThảo Hoàng Lan");
	/* runs of spaces where it breaks go */
	wraps_to("Sở  Tài   chính", 6, "Sở Tài\nchính");
	wraps_to("a\nb c", 3, "a\nb c");
}

/* A word wider than the width breaks where it can (after a '/' or '.',
 * before an '@'), else after as many characters as fit; never with a
 * hyphen added. */
static void
test_wrap_inside_a_word(void **state)
{
	wraps_to("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", 30,
		 "/usr/lib/x86_64-linux-gnu/\nsofthsm/libsofthsm2.so");
	wraps_to("vanthu@stc.thaibinh.gov.vn", 12, "vanthu@stc.\nthaibinh.\ngov.vn");
	wraps_to("nguyenthiphuongthao@sotaichinh", 24, "nguyenthiphuongthao\n@sotaichinh");
	wraps_to("ADC007C3F2FDB123", 6, "ADC007\nC3F2FD\nB123");
	wraps_to("05/12/2026–05/12/2029", 12, "05/12/2026–\n05/12/2029");
}

static size_t
shown_width(const struct table_fit_column *cols, size_t n)
{
	size_t sum = 0, k = 0;
	for (size_t c = 0; c < n; c++)
		if (!cols[c].hidden) {
			sum += cols[c].width;
			k++;
		}
	return sum + 2 * (k - 1);
}

static const char *const tokens[] = {
	"08eb993a695f0389", "Nguyen Thi Huong", "Nguyễn Thị Phương Thảo Hoàng Lan",
	"Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Thái Bình",
	"ADC007C3F2FDB123B5EF402F43B58AEF", "05/12/2029", "",
	"91176dda030a3312", "Tran Van Duc", "Trần Văn Đức", "Sở Tài chính",
	"054732A9DB98445A0F4E524DB7EA6300", "05/12/2028", "",
};

static struct table_fit_column *
token_columns(void)
{
	static struct table_fit_column cols[7];
	struct table_fit_column init[7] = {
		{ "TOKEN", TABLE_WHOLE, TABLE_ALWAYS, false, 0 },
		{ "LABEL", TABLE_WRAP, TABLE_SPARE, false, 0 },
		{ "REGISTERED TO", TABLE_WRAP, TABLE_ALWAYS, false, 0 },
		{ "AGENCY", TABLE_WRAP, TABLE_ALWAYS, false, 0 },
		{ "CERTIFICATE", TABLE_WHOLE, TABLE_USEFUL, false, 0 },
		{ "VALID TO", TABLE_WHOLE, TABLE_ALWAYS, false, 0 },
		{ "NOTE", TABLE_WRAP, TABLE_ALWAYS, false, 0 },
	};
	memcpy(cols, init, sizeof(init));
	return cols;
}

static void
test_fits_as_it_is(void **state)
{
	struct table_fit_column *cols = token_columns();
	table_fit_widths(cols, 7, tokens, 2, 1000, 2);
	for (size_t c = 0; c < 7; c++)
		assert_false(cols[c].hidden);
	assert_int_equal(cols[2].width, 32);
	assert_int_equal(cols[3].width, 68);
	assert_int_equal(cols[6].width, 4);	/* its heading */
}

/* At 120: the empty column and the spare one go before any name wraps; the
 * serials stay whole; the long agency wraps. */
static void
test_120(void **state)
{
	struct table_fit_column *cols = token_columns();
	table_fit_widths(cols, 7, tokens, 2, 120, 2);
	assert_true(cols[6].hidden);
	assert_true(cols[1].hidden);
	assert_false(cols[4].hidden);
	assert_int_equal(cols[0].width, 16);
	assert_int_equal(cols[4].width, 32);
	assert_int_equal(cols[5].width, 10);
	assert_true(shown_width(cols, 7) <= 120);
	assert_true(cols[3].width >= TABLE_READABLE);
}

/* At 60 the certificate goes too, rather than names of a few letters. */
static void
test_60(void **state)
{
	struct table_fit_column *cols = token_columns();
	table_fit_widths(cols, 7, tokens, 2, 60, 2);
	assert_true(cols[4].hidden);
	assert_false(cols[2].hidden);
	assert_false(cols[3].hidden);
	assert_true(shown_width(cols, 7) <= 60);
	assert_int_equal(cols[0].width, 16);
}

/* Narrower than its whole columns: they stay whole, the table is wider. */
static void
test_whole_never_cut(void **state)
{
	struct table_fit_column *cols = token_columns();
	table_fit_widths(cols, 7, tokens, 2, 20, 2);
	assert_int_equal(cols[0].width, 16);
	assert_int_equal(cols[5].width, 10);
}

/* A heading wraps as the text under it: "DAYS" over "LEFT". */
static void
test_heading_wraps(void **state)
{
	struct table_fit_column cols[] = {
		{ "HOLDER", TABLE_WRAP, TABLE_ALWAYS, false, 0 },
		{ "DAYS LEFT", TABLE_WHOLE, TABLE_ALWAYS, false, 0 },
	};
	const char *const cells[] = { "Trần Văn Đức", "30" };
	table_fit_widths(cols, 2, cells, 1, 18, 2);
	assert_int_equal(cols[0].width, 12);
	assert_int_equal(cols[1].width, 4);
}

/* The purpose takes two lines at 48 columns as at 55: the name beside it
 * keeps its one line (at 60, it would wrap: the purpose then takes two
 * lines rather than three). */
static void
test_fewest_lines(void **state)
{
	struct table_fit_column cols[] = {
		{ "WHO", TABLE_WRAP, TABLE_ALWAYS, false, 0 },
		{ "PURPOSE", TABLE_WRAP, TABLE_ALWAYS, false, 0 },
	};
	const char *const cells[] = {
		"Đặng Thị Minh Nguyệt",
		"Ký công văn số 123/UBND-VP gửi Bộ Tài chính về việc quyết toán ngân sách năm 2026",
	};
	table_fit_widths(cols, 2, cells, 1, 70, 2);
	assert_int_equal(cols[0].width, 20);
	assert_int_equal(cols[1].width, 48);
}

int
main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_is_display_columns),
		cmocka_unit_test(test_wrap_between_words),
		cmocka_unit_test(test_wrap_inside_a_word),
		cmocka_unit_test(test_fits_as_it_is),
		cmocka_unit_test(test_120),
		cmocka_unit_test(test_60),
		cmocka_unit_test(test_whole_never_cut),
		cmocka_unit_test(test_heading_wraps),
		cmocka_unit_test(test_fewest_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
