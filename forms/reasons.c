/* The codes of the protocol in the regulation's words (reasons.h). */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "reasons.h"

struct words {
	const char *code, *words;
};

/* io.khoa.Handovers: Mẫu 10's column "Lý do giao nhận (1)", whose note
 * reads "(Cấp mới, Thu hồi, ...)". */
static const struct words handover[] = {
	{ "new-issue", "Cấp mới" },
	{ "re-issue", "Cấp lại" },
	{ "renewal", "Gia hạn" },
	{ "revocation-return", "Thu hồi" },
	{ "pin-recovery-return", "Khôi phục mật khẩu" },
	{ "transfer", "Bàn giao quản lý" },
	{ "damaged", "Hỏng thiết bị" },
	{ "other", "Khác" },
	{ NULL, NULL },
};

/* daemon/registry/rules.c: the terms of Điều 6.1 (revocation) and 7.1
 * (re-issue), as the regulation words them. */
static const struct words request[] = {
	{ "rename", "Cơ quan có quyết định đổi tên" },
	{ "split", "Cơ quan có quyết định chia tách" },
	{ "merge", "Cơ quan có quyết định sáp nhập" },
	{ "consolidation", "Cơ quan có quyết định hợp nhất" },
	{ "dissolution", "Cơ quan có quyết định giải thể" },
	{ "damaged", "Chứng thư số bị hư hỏng" },
	/* not the regulation's: Điều 10.2 (daemon/registry/rules.c, LOST) */
	{ "lost", "Thiết bị lưu khóa bí mật bị mất" },
	{ "expired", "Chứng thư số hết hạn sử dụng" },
	{ "resignation", "Thôi việc" },
	{ "retirement", "Nghỉ hưu" },
	{ "death", "Từ trần" },
	{ "transfer", "Chuyển công tác sang cơ quan khác" },
	{ "title-change", "Thay đổi chức danh, chức vụ" },
	{ "conviction", "Phạm tội (theo thông báo của cơ quan tiến hành tố tụng, cơ quan an ninh)" },
	{ "conviction-cleared",
	  "Đã được xóa tội (theo thông báo của cơ quan tiến hành tố tụng, cơ quan an ninh)" },
	{ NULL, NULL },
};

/* Whether TEXT looks like a code of the protocol: a-z, 0-9 and "-". */
static bool
is_code(const char *text)
{
	return strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(text);
}

const char *
forms_reason_words(enum forms_reason_kind kind, const char *code)
{
	const struct words *table = kind == FORMS_REASON_HANDOVER ? handover : request;

	if (!code || !*code)
		return NULL;
	for (const struct words *w = table; w->code; w++)
		if (strcmp(w->code, code) == 0)
			return w->words;
	return is_code(code) ? NULL : code;
}

const char *
forms_subject_kind_words(const char *kind)
{
	if (kind && strcmp(kind, "person") == 0)
		return "Cá nhân";
	if (kind && strcmp(kind, "organization") == 0)
		return "Tổ chức";
	return NULL;
}
