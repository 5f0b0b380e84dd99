/* forms/reasons.c: the codes the protocol carries, as the forms write them.
 *
 * A handover row's reason (io.khoa.Handovers: "new-issue" …) and a
 * certificate request's reason (io.khoa.Requests, daemon/registry/rules.c:
 * "transfer" …) are codes on the wire; a paper says them in the
 * regulation's Vietnamese words (Điều 6.1, 7.1; Mẫu 10's column (1)),
 * whatever the locale: the paper is Vietnamese. One table, so that every
 * form says a reason the same way, and no code ever reaches paper.
 *
 * Depends on nothing but the C library, so that the client may link it
 * too (it shows the same words under LANGUAGE=vi). */
#pragma once

enum forms_reason_kind {
	FORMS_REASON_HANDOVER,	/* io.khoa.Handovers Row.reason */
	FORMS_REASON_REQUEST,	/* io.khoa.Requests Request.reason */
};

/* The words of CODE: "Cấp mới", "Chuyển công tác sang cơ quan khác". NULL
 * for NULL, "" and a code this table does not know (a form leaves such a
 * reason to fill by hand rather than print a code); a text that is no code
 * (not only a-z, 0-9 and "-", e.g. "Quên mật khẩu" typed by a person) is
 * returned as it is. */
const char *forms_reason_words(enum forms_reason_kind kind, const char *code);

/* "Cá nhân" / "Tổ chức" for a subject or certificate kind "person" /
 * "organization"; NULL for anything else. */
const char *forms_subject_kind_words(const char *kind);
