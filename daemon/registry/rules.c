/*
 * The regulation's rules on certificates, one function per rule id of
 * shared/regulation/DIGEST.md. The text cited is the Thái Bình 2016 Quy chế
 * (shared/regulation/quy-che-chung-thu-so-thai-binh-2016.txt); the numbers
 * come from a rules profile so that a later regulation changes a file, not
 * this code. Pure: no clock, no globals that change, no logging.
 */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "jsonb.h"
#include "rules.h"

/*
 * The built-in profile.
 *
 * tt08_effective: Thông tư 08/2016/TT-BQP is dated 01/02/2016 (Quy chế
 * Điều 2.5 and Điều 8.2 cite it as "ngày 01/02/2016") but the regulation does
 * not say when it took effect. The Thông tư itself took effect 45 days after
 * signing, 17/03/2016; that date is used here, not taken from the regulation
 * text. A profile can change it (tt08-effective).
 */
static const char default_name[] = "Thái Bình 2016 (Quyết định …/2016/QĐ-UBND)";
static const char default_tt08[] = "2016-03-17";
static const char default_department[] = "Sở Thông tin và Truyền thông";

static const struct rules_profile default_profile = {
	.name = default_name,
	.renewals_allowed = 1,		/* Điều 5.1: "gia hạn 01 lần" */
	.renew_min_days = 60,		/* Điều 5.1: "còn thời hạn sử dụng ít nhất 60 ngày" */
	.new_max_years = 10,		/* Điều 8.1: "tối đa là 10 năm" */
	.renew_max_years_old = 5,	/* Điều 8.2: "gia hạn tối đa là 5 năm" */
	.tt08_effective = default_tt08,
	.warn_days = { 120, 90, 60, 0 },	/* the last warning is R-RENEW-60D's limit */
	.report_month = 11,		/* Điều 13.6: "Định kỳ vào tháng 11 hàng năm" */
	.return_days = 30,		/* Điều 13.4 sets no term: a month, ours */
	.department = default_department,	/* Điều 12 */
};

const struct rules_profile *
rules_default(void)
{
	return &default_profile;
}

/* ---- reasons ------------------------------------------------------------ */

/*
 * The reasons, as words on the wire, each with the regulation's term in a
 * comment; NULL-terminated so that rules_reasons() can hand them out.
 */

/* LOST: the regulation lists no lost device among the reasons, but Điều
 * 10.2 (R-CUSTODY) has a loss reported at once, and a key out of its
 * holder's hands is worse than a damaged device (Điều 6.1's "hư hỏng"): the
 * CA revokes it, and re-issues as for a damaged one (issue 16). */

/* R-REVOKE-ORG, Điều 6.1a: "phải thu hồi khi cơ quan có quyết định đổi tên,
 * chia tách, sáp nhập, hợp nhất, giải thể hoặc chứng thư số bị hư hỏng, hết
 * hạn sử dụng". */
static const char *const revoke_org[] = {
	"rename",		/* đổi tên */
	"split",		/* chia tách */
	"merge",		/* sáp nhập */
	"consolidation",	/* hợp nhất */
	"dissolution",		/* giải thể */
	"damaged",		/* chứng thư số bị hư hỏng */
	"lost",			/* thiết bị lưu khóa bị mất: LOST */
	"expired",		/* hết hạn sử dụng */
	NULL,
};

/* R-REVOKE-PERSON, Điều 6.1b: "phải thu hồi trước khi công chức thôi việc, nghỉ
 * hưu, từ trần, chuyển công tác sang cơ quan khác, có thay đổi về chức danh,
 * chức vụ, phạm tội (theo thông báo của cơ quan tiến hành tố tụng, cơ quan an
 * ninh) hoặc chứng thư số bị hư hỏng, hết hạn sử dụng". */
static const char *const revoke_person[] = {
	"resignation",		/* thôi việc */
	"retirement",		/* nghỉ hưu */
	"death",		/* từ trần */
	"transfer",		/* chuyển công tác sang cơ quan khác */
	"title-change",		/* có thay đổi về chức danh, chức vụ */
	"conviction",		/* phạm tội (theo thông báo của cơ quan tiến hành tố tụng,
				 * cơ quan an ninh) */
	"damaged",		/* chứng thư số bị hư hỏng */
	"lost",			/* thiết bị lưu khóa bị mất: LOST */
	"expired",		/* hết hạn sử dụng */
	NULL,
};

/* R-REISSUE, Điều 7.1a: "được cấp lại khi cơ quan có quyết định đổi tên, chia
 * tách, sáp nhập, hợp nhất, giải thể, chứng thư số hư hỏng, hết hạn sử dụng và
 * đã thực hiện thu hồi chứng thư số". 7.1a is headed "Chứng thư số chuyên dùng
 * cho tổ chức và cá nhân"; DIGEST.md gives its agency reasons to organization
 * certificates only, and so does this table: a personal certificate is never
 * revoked for them (Điều 6.1b), and re-issue follows revocation. */
static const char *const reissue_org[] = {
	"rename",		/* đổi tên */
	"split",		/* chia tách */
	"merge",		/* sáp nhập */
	"consolidation",	/* hợp nhất */
	"dissolution",		/* giải thể */
	"damaged",		/* chứng thư số hư hỏng */
	"lost",			/* LOST */
	"expired",		/* hết hạn sử dụng */
	NULL,
};

/* R-REISSUE, Điều 7.1b: "được cấp lại khi công chức chuyển công tác sang cơ
 * quan khác, có thay đổi về chức danh, chức vụ; chứng thư số hư hỏng, hết hạn
 * sử dụng; người phạm tội đã được xóa tội (theo thông báo của cơ quan tiến
 * hành tố tụng, cơ quan an ninh) và đã thực hiện thu hồi chứng thư số". */
static const char *const reissue_person[] = {
	"transfer",		/* chuyển công tác sang cơ quan khác */
	"title-change",		/* có thay đổi về chức danh, chức vụ */
	"damaged",		/* chứng thư số hư hỏng */
	"lost",			/* LOST */
	"expired",		/* hết hạn sử dụng */
	"conviction-cleared",	/* người phạm tội đã được xóa tội (theo thông báo của cơ
				 * quan tiến hành tố tụng, cơ quan an ninh) */
	NULL,
};

enum kind { KIND_NONE = -1, KIND_ORGANIZATION, KIND_PERSON };

static enum kind
kind_of(const char *kind)
{
	if (kind && strcmp(kind, "organization") == 0)
		return KIND_ORGANIZATION;
	if (kind && strcmp(kind, "person") == 0)
		return KIND_PERSON;
	return KIND_NONE;
}

const char *const *
rules_reasons(const char *kind, bool reissue)
{
	switch (kind_of(kind)) {
	case KIND_ORGANIZATION:
		return reissue ? reissue_org : revoke_org;
	case KIND_PERSON:
		return reissue ? reissue_person : revoke_person;
	case KIND_NONE:
		break;
	}
	return NULL;
}

static bool
listed(const char *const *names, const char *reason)
{
	for (; reason && *names; names++)
		if (strcmp(*names, reason) == 0)
			return true;
	return false;
}

/* "rename,split,…" into BUF: codes, for an argument of kind 'l'. */
static const char *
join(const char *const *names, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (; *names && n < size; names++) {
		int w = snprintf(buf + n, size - n, "%s%s", n ? "," : "", *names);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	return buf;
}

/* ---- messages ----------------------------------------------------------- */

/* WHY broken by RULE for FACT, with FACT's arguments (strings, as many as
 * its table entry says, reasons.h); the English sentence for logs. */
bool
rule_why_set(struct rule_why *why, const char *rule, enum khoa_reason_id fact, ...)
{
	if (!why)
		return false;
	const struct khoa_reason *r = &khoa_reasons[fact];
	const char *args[KHOA_REASON_ARGS_MAX];
	va_list ap;

	why->rule = rule;
	why->fact = r->code;
	why->n_args = strlen(r->args);
	va_start(ap, fact);
	for (size_t i = 0; i < why->n_args; i++) {
		const char *a = va_arg(ap, const char *);
		snprintf(why->args[i], sizeof(why->args[i]), "%s", a ? a : "");
		args[i] = why->args[i];
	}
	va_end(ap);
	char *text = khoa_reason_english(r, args, why->n_args);
	snprintf(why->text, sizeof(why->text), "%s: %s", rule, text ? text : r->code);
	free(text);
	return false;
}

void
rule_why_put(struct jsonb *b, const struct rule_why *why, const char *key)
{
	json_object *args = json_object_new_array();
	for (size_t i = 0; args && i < why->n_args; i++)
		if (!jsonb_append(b, args, json_object_new_string(why->args[i])))
			break;
	jsonb_str(b, "rule", why->rule);
	jsonb_str(b, "fact", why->fact);
	jsonb_put(b, "args", args);
	jsonb_str(b, key, why->text);
}

/* Arguments as strings, in buffers that live to the end of the call. */
static const char *
num(char buf[24], long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}
#define NUM(v) num((char[24]){ 0 }, (long long)(v))
#define DAY(dt) day((char[KHOA_DATE_ISO_SIZE]){ 0 }, &(dt))
static const char *day(char *buf, const struct khoa_datetime *dt);

static bool
allow(struct rule_why *why)
{
	if (why) {
		why->rule = NULL;
		why->fact = NULL;
		why->n_args = 0;
		why->text[0] = '\0';
	}
	return true;
}

/* A caller's string for a message: "(none)" for
 * NULL, cut after 64 bytes, never inside a UTF-8 sequence, with "…". */
struct shown {
	char s[72];
};
#define SHOW(s) (show((s), &(struct shown){ 0 }))

static const char *
show(const char *s, struct shown *buf)
{
	if (!s)
		return "(none)";
	size_t n = strlen(s);
	if (n <= 64)
		return s;
	n = 64;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;	/* s[n] continues a sequence: cut before its start */
	memcpy(buf->s, s, n);
	memcpy(buf->s + n, "…", sizeof("…"));
	return buf->s;
}

/* ---- dates -------------------------------------------------------------- */

/* The UTC date of an ISO 8601 date ("2026-11-24") or time
 * ("2026-11-24T20:28:31Z", "…T20:28:31.5+07:00", "… 20:28"; without an
 * offset, UTC); false when S is neither. */
static bool
parse_date(const char *s, struct khoa_datetime *out)
{
	struct khoa_datetime t;
	if (khoa_date_parse(s, KHOA_DATE_ISO | KHOA_DATE_TIME, &t) < 0)
		return false;
	*out = khoa_datetime_utc(t);
	return true;
}

int
rules_days_until(time_t today, const char *when)
{
	struct khoa_datetime w;
	if (!parse_date(when, &w))
		return INT_MIN;
	int64_t n = khoa_date_days_until(today, &w);
	if (n <= INT_MIN || n > INT_MAX)
		return INT_MIN;
	return (int)n;
}

static bool
before(struct khoa_datetime a, struct khoa_datetime b)
{
	return khoa_date_days(&a) < khoa_date_days(&b);
}

static const char *
day(char *buf, const struct khoa_datetime *dt)
{
	khoa_date_iso(dt, buf);
	return buf;
}

/* ---- the rules ---------------------------------------------------------- */

/*
 * R-RENEW-60D (Điều 5.1: "phải đảm bảo còn thời hạn sử dụng ít nhất 60
 * ngày"). DIGEST: "Renewal may be requested only while at least 60 days of
 * validity remain." Whole UTC days from today to the day NOT_AFTER falls on.
 */
bool
rule_renew_60d(const struct rules_profile *p, time_t today, const char *not_after,
	       struct rule_why *why)
{
	const char *id = "R-RENEW-60D";
	int left = rules_days_until(today, not_after);
	int need = p->renew_min_days;

	if (left == INT_MIN)
		return rule_why_set(why, id, KR_EXPIRY_NOT_DATE, SHOW(not_after));
	if (left >= need)
		return allow(why);
	if (left < 0)
		return rule_why_set(why, id, KR_EXPIRED_AGO, NUM(-left), NUM(need));
	return rule_why_set(why, id, KR_DAYS_REMAIN, NUM(left), NUM(need));
}

/*
 * R-RENEW-ONCE (Điều 5.1: "Chứng thư số chỉ được đề nghị gia hạn 01 lần").
 * DIGEST: "A certificate may be renewed (gia hạn) once only."
 */
bool
rule_renew_once(const struct rules_profile *p, int renewals_so_far, struct rule_why *why)
{
	const char *id = "R-RENEW-ONCE";
	int allowed = p->renewals_allowed;

	if (renewals_so_far < 0)
		return rule_why_set(why, id, KR_RENEWALS_NOT_NUMBER, NUM(renewals_so_far));
	if (renewals_so_far < allowed)
		return allow(why);
	if (allowed == 0)
		return rule_why_set(why, id, KR_NO_RENEWAL, NUM(renewals_so_far));
	return rule_why_set(why, id, KR_RENEWED_ALREADY, NUM(renewals_so_far), NUM(allowed));
}

/*
 * R-VALIDITY-10Y (Điều 8.1: "Chứng thư số của thuê bao cấp mới thời hạn có
 * hiệu lực tối đa là 10 năm"). DIGEST: "A new certificate is valid for at
 * most 10 years." Counted in UTC days: NOT_AFTER may fall on the day
 * new_max_years after NOT_BEFORE, not later.
 */
bool
rule_validity_10y(const struct rules_profile *p, const char *not_before, const char *not_after,
		  struct rule_why *why)
{
	const char *id = "R-VALIDITY-10Y";
	struct khoa_datetime from, to;

	if (!parse_date(not_before, &from))
		return rule_why_set(why, id, KR_START_NOT_DATE, SHOW(not_before));
	if (!parse_date(not_after, &to))
		return rule_why_set(why, id, KR_EXPIRY_NOT_DATE, SHOW(not_after));
	if (before(to, from))
		return rule_why_set(why, id, KR_EXPIRES_BEFORE_START, DAY(to), DAY(from));
	if (!before(khoa_date_add_years(from, p->new_max_years), to))
		return allow(why);

	/* Say by how much: whole years, then days. */
	int years = p->new_max_years;
	while (!before(to, khoa_date_add_years(from, years + 1)))
		years++;
	struct khoa_datetime whole = khoa_date_add_years(from, years);
	long days = (long)(khoa_date_days(&to) - khoa_date_days(&whole));
	if (days)
		return rule_why_set(why, id, KR_TERM_TOO_LONG_DAYS, DAY(from), DAY(to), NUM(years),
			      NUM(days), NUM(p->new_max_years));
	return rule_why_set(why, id, KR_TERM_TOO_LONG, DAY(from), DAY(to), NUM(years),
		      NUM(p->new_max_years));
}

/*
 * R-VALIDITY-5Y (Điều 8.2: "Đối với chứng thư số đã cấp trước khi Thông tư
 * số 08/2016/TT-BQP ngày 01/02/2016 của Bộ Quốc phòng có hiệu lực thì được
 * gia hạn, thời hạn có hiệu lực được gia hạn tối đa là 5 năm"). DIGEST: "A
 * certificate issued before Thông tư 08/2016/TT-BQP took effect may be
 * renewed for at most 5 years." A certificate first issued on the day the
 * Thông tư took effect or later is not limited by this rule.
 */
bool
rule_validity_5y(const struct rules_profile *p, const char *first_issued, int requested_years,
		 struct rule_why *why)
{
	const char *id = "R-VALIDITY-5Y";
	struct khoa_datetime issued, tt08;

	if (!parse_date(first_issued, &issued))
		return rule_why_set(why, id, KR_FIRST_ISSUE_NOT_DATE, SHOW(first_issued));
	if (!parse_date(p->tt08_effective, &tt08))
		return rule_why_set(why, id, KR_TT08_NOT_DATE, SHOW(p->tt08_effective));
	if (requested_years < 1)
		return rule_why_set(why, id, KR_RENEW_TERM_NOT_NUMBER, NUM(requested_years));
	if (!before(issued, tt08) || requested_years <= p->renew_max_years_old)
		return allow(why);
	return rule_why_set(why, id, KR_RENEW_BEFORE_TT08, DAY(issued), DAY(tt08),
		      NUM(p->renew_max_years_old), NUM(requested_years));
}

/*
 * R-ELIG (Điều 1.2: a) "Đối tượng được cấp chứng thư số chuyên dùng cho tổ
 * chức", b) "… cho cá nhân"). DIGEST: organization certificates and personal
 * certificates. KIND names one of the two.
 */
bool
rule_elig_kind(const char *kind, struct rule_why *why)
{
	if (kind_of(kind) != KIND_NONE)
		return allow(why);
	return rule_why_set(why, "R-ELIG", KR_NOT_A_KIND, SHOW(kind));
}

/*
 * R-REVOKE-ORG (Điều 6.1a) and R-REVOKE-PERSON (Điều 6.1b); the reasons and
 * the text are in the tables above. DIGEST: "Organization certificate must
 * be revoked on: rename, split, merge, consolidation, dissolution, damaged
 * device, expiry." / "Personal certificate must be revoked before:
 * resignation, retirement, death, transfer to another agency, change of
 * title/position, criminal conviction (notified by police/court), damaged
 * device, expiry."
 */
bool
rule_revoke_reason(const char *kind, const char *reason, struct rule_why *why)
{
	if (!rule_elig_kind(kind, why))
		return false;
	bool org = kind_of(kind) == KIND_ORGANIZATION;
	const char *const *names = rules_reasons(kind, false);
	if (listed(names, reason))
		return allow(why);
	char all[160];
	return rule_why_set(why, org ? "R-REVOKE-ORG" : "R-REVOKE-PERSON",
		      org ? KR_REVOKE_REASON_ORG : KR_REVOKE_REASON_PERSON, SHOW(reason),
		      join(names, all, sizeof(all)));
}

/*
 * R-VALIDITY-10Y for a renewal: Điều 8.1 bounds a certificate's validity at
 * 10 years; a renewal that asked for more would be printed on Mẫu 01/02
 * beside "(tối đa là 10 năm)". Whole years from 1.
 */
bool
rule_renew_term(const struct rules_profile *p, int64_t requested_years, struct rule_why *why)
{
	if (requested_years >= 1 && requested_years <= p->new_max_years)
		return allow(why);
	return rule_why_set(why, "R-VALIDITY-10Y", KR_YEARS_ASKED, NUM(requested_years),
		      NUM(p->new_max_years));
}

/*
 * A revoked certificate is at its end. Điều 7.1 makes re-issue what follows
 * a revocation ("… và đã thực hiện thu hồi chứng thư số"), so a renewal of
 * a revoked certificate is refused by R-REISSUE; Điều 6.1 revokes a valid
 * certificate, so a second revocation by R-REVOKE-ORG / R-REVOKE-PERSON.
 */
bool
rule_not_revoked(const char *request, const char *kind, bool revoked, struct rule_why *why)
{
	if (!revoked)
		return allow(why);
	if (strcmp(request, "renew") == 0)
		return rule_why_set(why, "R-REISSUE", KR_REVOKED_NOT_RENEWED);
	if (strcmp(request, "revoke") == 0)
		return rule_why_set(why, kind_of(kind) == KIND_ORGANIZATION ? "R-REVOKE-ORG"
								       : "R-REVOKE-PERSON",
			      KR_REVOKED_ALREADY);
	return allow(why);
}

/*
 * R-REISSUE (Điều 7.1: "… và đã thực hiện thu hồi chứng thư số"; the reasons
 * are in the tables above). DIGEST: "Re-issue (cấp lại) only after the old
 * certificate was revoked; allowed reasons: org rename/split/merge/
 * consolidation/dissolution, damaged, expired; person transferred, title
 * changed, damaged, expired, conviction cleared."
 */
bool
rule_reissue(const char *kind, bool revoked, const char *reason, struct rule_why *why)
{
	const char *id = "R-REISSUE";

	if (!rule_elig_kind(kind, why))
		return false;
	bool org = kind_of(kind) == KIND_ORGANIZATION;
	if (!revoked)
		return rule_why_set(why, id, KR_NOT_REVOKED);
	const char *const *names = rules_reasons(kind, true);
	if (listed(names, reason))
		return allow(why);
	char all[160];
	return rule_why_set(why, id, org ? KR_REISSUE_REASON_ORG : KR_REISSUE_REASON_PERSON,
		      SHOW(reason), join(names, all, sizeof(all)));
}

/* Whether re-issue REASON follows revocation REVOKED: the same cause; a
 * conviction cleared after a conviction; a lost device replaced as a
 * damaged one, and the other way round. */
static bool
reissue_follows(const char *revoked, const char *reason)
{
	static const struct { const char *revoked, *reissue; } also[] = {
		{ "conviction", "conviction-cleared" },
		{ "lost", "damaged" },
		{ "damaged", "lost" },
	};
	if (strcmp(revoked, reason) == 0)
		return true;
	for (size_t i = 0; i < sizeof(also) / sizeof(*also); i++)
		if (strcmp(also[i].revoked, revoked) == 0 && strcmp(also[i].reissue, reason) == 0)
			return true;
	return false;
}

bool
rule_reissue_of(const char *kind, bool revoked, const char *revoked_reason, int64_t earlier,
		const char *reason, struct rule_why *why)
{
	const char *id = "R-REISSUE";

	if (!rule_reissue(kind, revoked, reason, why))
		return false;
	if (earlier > 0)
		return rule_why_set(why, id, KR_REISSUED_ALREADY, NUM(earlier));
	if (revoked_reason && *revoked_reason && !reissue_follows(revoked_reason, reason))
		return rule_why_set(why, id, KR_REISSUE_NOT_FOLLOW, SHOW(revoked_reason), SHOW(reason));
	return allow(why);
}

bool
rule_issued_term(const struct rules_profile *p, const char *request, const char *first_issued,
		 int64_t requested_years, const char *not_before, const char *not_after,
		 struct rule_why *why)
{
	struct rules_profile q = *p;
	const char *id = "R-VALIDITY-10Y";
	struct khoa_datetime issued, tt08;

	if (strcmp(request, "renew") == 0 && parse_date(first_issued, &issued) &&
	    parse_date(p->tt08_effective, &tt08) && before(issued, tt08) &&
	    p->renew_max_years_old < q.new_max_years) {
		q.new_max_years = p->renew_max_years_old;
		id = "R-VALIDITY-5Y";
	}
	if (requested_years > 0 && requested_years < q.new_max_years)
		q.new_max_years = (int)requested_years;
	if (rule_validity_10y(&q, not_before, not_after, why))
		return allow(why);
	/* rule_validity_10y said it of a new certificate; say it of this one,
	 * and what was allowed or asked */
	char args[KHOA_REASON_ARGS_MAX][sizeof(why->args[0])];
	if (!why || !why->fact || (strcmp(why->fact, KR(TERM_TOO_LONG)) != 0 &&
				   strcmp(why->fact, KR(TERM_TOO_LONG_DAYS)) != 0))
		return false;	/* not dates, or ending before it starts */
	bool with_days = strcmp(why->fact, KR(TERM_TOO_LONG_DAYS)) == 0;
	memcpy(args, why->args, sizeof(args));
	if (with_days)
		return rule_why_set(why, id, KR_TERM_EXCEEDED_DAYS, args[0], args[1], args[2],
				    args[3], NUM(q.new_max_years));
	return rule_why_set(why, id, KR_TERM_EXCEEDED, args[0], args[1], args[2],
			    NUM(q.new_max_years));
}

/* Điều 5.1 in its order: once only (R-RENEW-ONCE), then 60 days (R-RENEW-60D). */
bool
rules_renewal_possible(const struct rules_profile *p, time_t today, const char *not_after,
		       int renewals, struct rule_why *why)
{
	return rule_renew_once(p, renewals, why) && rule_renew_60d(p, today, not_after, why);
}

/* ---- profiles ----------------------------------------------------------- */

static int
bad(struct rules_reader *l, const char *key, const char *value, const char *want)
{
	if (!l->error && asprintf(&l->error, "[rules] %s: '%s' is not %s", key, SHOW(value),
				  want) < 0) {
		l->error = NULL;
		l->nomem = true;
	}
	return 0;
}

/* A whole number in [MIN, MAX] at S, up to a separator or the end; *END after it. */
static bool
number(const char *s, int min, int max, int *out, const char **end)
{
	if (*s < '0' || *s > '9')
		return false;	/* no sign, no space: "60" only */
	char *e;
	errno = 0;
	long v = strtol(s, &e, 10);
	if (errno || v < min || v > max)
		return false;
	*out = (int)v;
	*end = e;
	return true;
}

static bool
whole(const char *s, int min, int max, int *out)
{
	const char *end;
	return number(s, min, max, out, &end) && *end == '\0';
}

/* "120 90 60" (or with commas): at most 7 numbers of days, descending; ""
 * for no warnings. */
static bool
warn_list(const char *s, int out[8])
{
	int n = 0, v[8] = { 0 };
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		if (!*s)
			break;
		if (n == 7 || !number(s, 1, 3650, &v[n], &s) || (n && v[n] >= v[n - 1]))
			return false;
		if (*s && *s != ' ' && *s != '\t' && *s != ',')
			return false;
		n++;
	}
	memcpy(out, v, sizeof(v));
	return true;
}

static bool
replace(struct rules_reader *l, char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy) {
		l->nomem = true;
		return false;
	}
	free(*slot);
	*slot = copy;
	return true;
}

void
rules_reader_init(struct rules_reader *l)
{
	*l = (struct rules_reader){ .p = default_profile };
}

int
rules_reader_entry(struct rules_reader *l, const char *key, const char *value)
{
	struct rules_profile *p = &l->p;

	if (strcmp(key, "renewals-allowed") == 0) {
		if (!whole(value, 0, 100, &p->renewals_allowed))
			return bad(l, key, value, "a number of renewals from 0 to 100");
	} else if (strcmp(key, "renew-min-days") == 0) {
		if (!whole(value, 0, 3650, &p->renew_min_days))
			return bad(l, key, value, "a number of days from 0 to 3650");
	} else if (strcmp(key, "new-max-years") == 0) {
		if (!whole(value, 1, 100, &p->new_max_years))
			return bad(l, key, value, "a number of years from 1 to 100");
	} else if (strcmp(key, "renew-max-years-old") == 0) {
		if (!whole(value, 1, 100, &p->renew_max_years_old))
			return bad(l, key, value, "a number of years from 1 to 100");
	} else if (strcmp(key, "tt08-effective") == 0) {
		struct khoa_datetime d;
		if (strlen(value) != 10 || !parse_date(value, &d))
			return bad(l, key, value, "a date (YYYY-MM-DD)");
		if (!replace(l, &l->tt08, value))
			return 0;
		p->tt08_effective = l->tt08;
	} else if (strcmp(key, "warn-days") == 0) {
		if (!warn_list(value, p->warn_days))
			return bad(l, key, value, "up to 7 numbers of days from 3650 down to 1, "
				   "each less than the one before");
	} else if (strcmp(key, "report-month") == 0) {
		if (!whole(value, 1, 12, &p->report_month))
			return bad(l, key, value, "a month from 1 to 12");
	} else if (strcmp(key, "return-days") == 0) {
		if (!whole(value, 0, 3650, &p->return_days))
			return bad(l, key, value, "a number of days from 0 to 3650");
	} else if (strcmp(key, "department") == 0) {
		if (!*value || strlen(value) > 200)
			return bad(l, key, value, "a name of 1 to 200 bytes");
		if (!replace(l, &l->department, value))
			return 0;
		p->department = l->department;
	} else if (strcmp(key, "name") == 0) {
		if (!*value || strlen(value) > 200)
			return bad(l, key, value, "a name of 1 to 200 bytes");
		if (!replace(l, &l->name, value))
			return 0;
		p->name = l->name;
	} else {
		if (!l->error && asprintf(&l->error, "[rules] %s: no such key (the keys are "
					  "renewals-allowed, renew-min-days, new-max-years, "
					  "renew-max-years-old, tt08-effective, warn-days, "
					  "report-month, return-days, department, name)",
					  key) < 0) {
			l->error = NULL;
			l->nomem = true;
		}
		return 0;
	}
	return 1;
}

void
rules_reader_discard(struct rules_reader *l)
{
	free(l->name);
	free(l->tt08);
	free(l->department);
	free(l->error);
	rules_reader_init(l);
}

void
rules_reader_take(struct rules_reader *l, struct rules_profile *out)
{
	*out = l->p;	/* owns l->name, l->tt08 and l->department when set */
	free(l->error);
	rules_reader_init(l);
}

static int
on_rules_entry(void *user, const char *section, const char *key, const char *value)
{
	if (strcmp(section, "rules") != 0)
		return 1;	/* other sections belong to other parts */
	return rules_reader_entry(user, key, value);
}

int
rules_profile_load(const char *path, struct rules_profile *out, char **error)
{
	struct rules_reader l;
	int r = 0;

	rules_reader_init(&l);
	*out = default_profile;
	*error = NULL;
	FILE *f = fopen(path, "re");
	if (!f) {
		r = -errno;
		if (asprintf(error, "cannot read %s: %s", path, strerror(-r)) < 0)
			*error = NULL;
		return r;
	}
	int line = ini_parse_file(f, on_rules_entry, &l);
	fclose(f);
	if (l.nomem || line == -2) {	/* -2: inih out of memory */
		r = -ENOMEM;
	} else if (l.error) {
		r = -EINVAL;
		if (asprintf(error, "%s:%d: %s", path, line, l.error) < 0)
			*error = NULL;
	} else if (line != 0) {
		r = -EINVAL;
		if (asprintf(error, "%s:%d: not valid INI", path, line) < 0)
			*error = NULL;
	}
	if (r < 0)
		rules_reader_discard(&l);
	else
		rules_reader_take(&l, out);
	return r;
}

void
rules_profile_release(struct rules_profile *p)
{
	if (!p)
		return;
	/* Only the strings rules_profile_load() copied: never the default's. */
	if (p->name && p->name != default_name)
		free((char *)p->name);
	if (p->tt08_effective && p->tt08_effective != default_tt08)
		free((char *)p->tt08_effective);
	if (p->department && p->department != default_department)
		free((char *)p->department);
	*p = default_profile;
}
