/* forms/words.c: Vietnamese number words, counts, date lines, uppercase
 * (FORMS.md); forms/reasons.c: the protocol's codes in the regulation's
 * words, never a code on paper. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "forms.h"
#include "reasons.h"
#include "words.h"

static void words_is(unsigned n, const char *want)
{
	char *w = forms_count_words(n);
	assert_non_null(w);
	assert_string_equal(w, want);
	free(w);
}

static void test_number_words(void **state)
{
	words_is(0, "không");
	words_is(1, "một");
	words_is(3, "ba");
	words_is(4, "bốn");
	words_is(5, "năm");
	words_is(10, "mười");
	words_is(11, "mười một");
	words_is(14, "mười bốn");
	words_is(15, "mười lăm");
	words_is(20, "hai mươi");
	words_is(21, "hai mươi mốt");
	words_is(24, "hai mươi bốn");
	words_is(25, "hai mươi lăm");
	words_is(31, "ba mươi mốt");
	words_is(55, "năm mươi lăm");
	words_is(99, "chín mươi chín");
	words_is(100, "một trăm");
	words_is(101, "một trăm linh một");
	words_is(105, "một trăm linh năm");
	words_is(110, "một trăm mười");
	words_is(111, "một trăm mười một");
	words_is(115, "một trăm mười lăm");
	words_is(121, "một trăm hai mươi mốt");
	words_is(1000, "một nghìn");
	words_is(1005, "một nghìn không trăm linh năm");
	words_is(1015, "một nghìn không trăm mười lăm");
	words_is(2024, "hai nghìn không trăm hai mươi bốn");
	words_is(1000000, "một triệu");
	words_is(1000005, "một triệu không trăm linh năm");
	words_is(4000000000u, "bốn tỷ");
}

static void count_is(unsigned n, const char *unit, const char *want)
{
	char *c = forms_count(n, unit);
	assert_non_null(c);
	assert_string_equal(c, want);
	free(c);
}

static void test_count(void **state)
{
	count_is(3, "bộ", "03 (ba) bộ");
	count_is(1, "bộ", "01 (một) bộ");
	count_is(12, "bộ", "12 (mười hai) bộ");
	count_is(21, "bộ", "21 (hai mươi mốt) bộ");
	count_is(105, "bộ", "105 (một trăm linh năm) bộ");
	count_is(2, NULL, "02 (hai)");
}

static void date_is(const char *place, const char *iso, const char *want)
{
	struct forms_date d;
	char *s;
	assert_int_equal(forms_parse_date(iso, &d), 0);
	s = forms_date_line(place, &d);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_date_line(void **state)
{
	struct forms_date d;
	char *s;

	date_is("Thái Bình", "2026-03-05", "Thái Bình, ngày 05 tháng 3 năm 2026");
	date_is("Thái Bình", "2026-01-05", "Thái Bình, ngày 05 tháng 01 năm 2026");
	date_is(NULL, "2026-02-28", "ngày 28 tháng 02 năm 2026");
	date_is("", "2025-12-31T23:59:00Z", "ngày 31 tháng 12 năm 2025");
	date_is("Vũ Thư", "2026-10-10", "Vũ Thư, ngày 10 tháng 10 năm 2026");
	date_is(NULL, "2026-11-09", "ngày 09 tháng 11 năm 2026");

	assert_int_equal(forms_parse_date("2026-03-05T09:30:00+07:00", &d), 0);
	assert_true(d.has_time);
	assert_int_equal(d.hour, 9);
	assert_int_equal(d.minute, 30);
	assert_int_equal(forms_parse_date("2026-03-05", &d), 0);
	assert_false(d.has_time);
	assert_int_equal(forms_parse_date("2026-13-05", &d), -EINVAL);
	assert_int_equal(forms_parse_date("2026-02-30", &d), -EINVAL);
	assert_int_equal(forms_parse_date("05/03/2026", &d), -EINVAL);
	assert_int_equal(forms_parse_date(NULL, &d), -EINVAL);
	assert_int_equal(forms_parse_date("2026-03-05x", &d), -EINVAL);

	s = forms_date_dmy("2026-03-05T09:30:00Z");
	assert_string_equal(s, "05/03/2026");
	free(s);
	s = forms_date_dmy("không rõ");
	assert_string_equal(s, "không rõ");
	free(s);
	assert_null(forms_date_dmy(NULL));
}

static void upper_is(const char *in, const char *want)
{
	char *u = forms_upper_vi(in);
	assert_non_null(u);
	assert_string_equal(u, want);
	free(u);
}

static void test_upper(void **state)
{
	upper_is("Nguyễn Thị Hường", "NGUYỄN THỊ HƯỜNG");
	upper_is("đỗ thị ngọc ánh", "ĐỖ THỊ NGỌC ÁNH");
	upper_is("Phạm Đức Thắng", "PHẠM ĐỨC THẮNG");
	upper_is("ơn ưu ặ ỹ ỵ", "ƠN ƯU Ặ Ỹ Ỵ");
	/* decomposed input comes out composed (NFC) */
	upper_is("Nguye\xcc\x82\xcc\x83n", "NGUYỄN");
	upper_is("", "");
	assert_null(forms_upper_vi(NULL));
	assert_null(forms_upper_vi("\xff\xfe"));
}

static void test_reasons(void **state)
{
	char *s;

	assert_string_equal(forms_reason_words(FORMS_REASON_HANDOVER, "new-issue"), "Cấp mới");
	assert_string_equal(forms_reason_words(FORMS_REASON_HANDOVER, "revocation-return"), "Thu hồi");
	/* the same code, the words of its record */
	assert_string_equal(forms_reason_words(FORMS_REASON_HANDOVER, "damaged"), "Hỏng thiết bị");
	assert_string_equal(forms_reason_words(FORMS_REASON_REQUEST, "damaged"),
			    "Chứng thư số bị hư hỏng");
	assert_string_equal(forms_reason_words(FORMS_REASON_REQUEST, "transfer"),
			    "Chuyển công tác sang cơ quan khác");
	assert_string_equal(forms_reason_words(FORMS_REASON_REQUEST, "expired"),
			    "Chứng thư số hết hạn sử dụng");
	/* a code no table knows is never printed; words a person typed are */
	assert_null(forms_reason_words(FORMS_REASON_REQUEST, "key-compromise"));
	assert_null(forms_reason_words(FORMS_REASON_HANDOVER, "transfer2"));
	assert_null(forms_reason_words(FORMS_REASON_REQUEST, ""));
	assert_null(forms_reason_words(FORMS_REASON_REQUEST, NULL));
	assert_string_equal(forms_reason_words(FORMS_REASON_REQUEST, "Quên mật khẩu"), "Quên mật khẩu");
	assert_string_equal(forms_subject_kind_words("person"), "Cá nhân");
	assert_string_equal(forms_subject_kind_words("organization"), "Tổ chức");
	assert_null(forms_subject_kind_words("org"));

	s = forms_date_line_or_blank("Thái Bình", NULL);
	assert_string_equal(s, "Thái Bình, ngày … tháng … năm …");
	free(s);
	s = forms_date_line_or_blank(NULL, NULL);
	assert_string_equal(s, "ngày … tháng … năm …");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_words),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_date_line),
		cmocka_unit_test(test_upper),
		cmocka_unit_test(test_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
