/* forms/: the regulation's paper forms (Mẫu 01–10) as PDF and text
 * (and the lists of Mẫu 03, 04, 06 as CSV), and the registers a clerk
 * keeps beside them (a token's history, its custody, the seal register).
 *
 * Linked by the client, never by the daemon (DESIGN.md "Forms and printing").
 * Layout follows /work/shared/FORMS.md (Nghị định 30/2020/NĐ-CP, Phụ lục I).
 *
 * Each form says what the regulation's form says, in its words and order
 * (docs/regulation/, tests/forms/wording.py); what the records do not
 * give is a dotted line to fill by hand; a code of the protocol (a reason,
 * a kind) is never printed as it is (reasons.h).
 *
 * DATA is the protocol's JSON object: an io.khoa.Handovers Handover (Mẫu 10),
 * an io.khoa.PinRequests Request (Mẫu 09), an io.khoa.Managers Change
 * (Mẫu 08); for Mẫu 01–07 see below. AGENCY is optional (may be NULL), an
 * object with the strings "managing_agency", "agency", "place" (e.g. "Thái
 * Bình") and "number" (e.g. "…/BB-STTTT") that fill the header of the
 * agency's papers (every form but the personal declarations Mẫu 02 and 05,
 * headed by the national name alone) and the place of the date lines; Mẫu
 * 10 also takes "place" for where it is held when the handover names none.
 * Mẫu 08 also takes "authority" (the title of who decides, "GIÁM ĐỐC SỞ
 * …") and "signer" (a name), who also signs Mẫu 03, 04, 06 and 07 as head
 * of the agency.
 *
 * A party of Mẫu 10 may carry, besides the protocol's name, agency,
 * address, representative and position, the introduction letter
 * ("introduction_letter") and ID card ("id_number", "id_issued_on",
 * "id_issued_by") its representative showed (R-HANDOVER): printed when
 * given. A person (Mẫu 01, 02, 05) may carry "sex", "birth_place",
 * "id_issued_on", "id_issued_by", "address" and "fax": printed when given.
 *
 * Every function returns 0 or a negative errno; the _pdf ones set *ERROR
 * (when ERROR is not NULL) to a malloc'ed explanation on failure. */
#pragma once

#include <stdio.h>
#include <json-c/json.h>

int forms_handover_pdf(json_object *handover, json_object *agency,
                       const char *path, char **error);
int forms_handover_text(json_object *handover, json_object *agency, FILE *out);

int forms_pin_request_pdf(json_object *request, json_object *agency,
                          const char *path, char **error);
int forms_pin_request_text(json_object *request, json_object *agency, FILE *out);

int forms_manager_change_pdf(json_object *change, json_object *agency,
                             const char *path, char **error);
int forms_manager_change_text(json_object *change, json_object *agency, FILE *out);

/* Certificate requests (R-NEW, R-RENEW-*, R-REVOKE-*, R-REISSUE). REQUEST is
 * an io.khoa.Requests Request to which the client adds: "person", the
 * io.khoa.People Person it is for (subject_kind "person"); "organization",
 * the io.khoa.Organizations Organization it is for, or the person's own;
 * "manager", the Person managing the organization's certificate, when
 * known; "certificate_subject", the certificate's Subject as read from the
 * token, when it was present. Any of them may be missing; any missing field
 * is a dotted line to fill by hand; dates are dd/mm/yyyy, serials as
 * given, names in capitals where the form says so, the reasons of
 * daemon/registry/rules.c in the regulation's words. The date line is the
 * request's filed_at.
 *
 * The letter of one request: kind "new", "renew", "reissue" → Mẫu 01
 * (subject_kind "organization") or Mẫu 02 ("person"), titled "CẤP/GIA HẠN"
 * as the regulation has it, the word that does not apply struck through
 * (the text rendering says the kind: cấp mới, gia hạn, cấp lại); "revoke"
 * → Mẫu 05. Anything else is -EINVAL. */
int forms_lifecycle_request_pdf(json_object *request, json_object *agency,
                                const char *path, char **error);
int forms_lifecycle_request_text(json_object *request, json_object *agency, FILE *out);
/* Which of them REQUEST gets: 1, 2 or 5, or -EINVAL. */
int forms_lifecycle_request_number(json_object *request);

/* The lists sent with the agency's letter, landscape, a ruled table with
 * STT: LIST "person" → Mẫu 03, "org" → Mẫu 04, "revoke" → Mẫu 06, the list
 * of revocations and renewals (anything else -EINVAL). REQUESTS is an
 * array of requests as above, in the order to print. AGENCY may also have "province" (the column Tỉnh/Thành phố;
 * else its "place") and "date" (ISO; the date of the list, else today); its
 * "number" is the letter the list goes with. The CSV (RFC 4180: CRLF,
 * quotes doubled; UTF-8) has the form's column titles, then a row per
 * request, the columns of the PDF; what is to fill by hand stays empty. */
int forms_request_list_pdf(const char *list, json_object *requests, json_object *agency,
                           const char *path, char **error);
int forms_request_list_text(const char *list, json_object *requests, json_object *agency,
                            FILE *out);
int forms_request_list_csv(const char *list, json_object *requests, FILE *out);

/* Mẫu 07, the annual report (R-AGENCY-DUTIES), from the "report" of
 * io.khoa.Reports.Annual: "year", "organization_name" (null: every agency
 * of the registry), "as_of" (the date line), "rows" of "row", "key",
 * "organization", "person" and "total" (null: an empty cell): STT | Nội
 * dung | Số lượng, a row that says "(tổ chức/cá nhân)" with its figures
 * so ("1/3"). The header names AGENCY's "agency", else the organization in
 * capitals; AGENCY's "signer" signs as THỦ TRƯỞNG ĐƠN VỊ. */
int forms_annual_report_pdf(json_object *report, json_object *agency,
                            const char *path, char **error);
int forms_annual_report_text(json_object *report, json_object *agency, FILE *out);

/* The registers beside the forms (registers.c), in the same layout: the
 * national header of AGENCY (its "number" only when given), the title, a
 * ruled table, the date line of the day they are printed at AGENCY's
 * "place", the signatures of who keeps the register and of the head of
 * the agency (AGENCY's "signer"). Times of the protocol (ISO 8601, UTC)
 * are printed in local time, dd/mm/yyyy hh:mm.
 *
 * A token's history: HISTORY has "serial", "label", "holder" and
 * "custodian" (names; any may be missing) and "events", the token's
 * io.khoa.Events Events, oldest first, each with a "sentence": the words
 * it is said in (khoa history's own, passed in by khoa: the one table of
 * what events mean is khoa's, client/event.c; a paper only lays them out).
 * Columns STT, Thời gian, Nội dung. */
int forms_history_pdf(json_object *history, json_object *agency, const char *path,
                      char **error);
int forms_history_text(json_object *history, json_object *agency, FILE *out);

/* A token's chain of custody: CUSTODY is io.khoa.Custody.Get's answer
 * (serial, holder, chain, seal_out, device_state), with "label". Columns
 * STT, Thời gian giao nhận, Bên giao, Bên nhận, Lý do, Biên bản giao nhận
 * số. */
int forms_custody_pdf(json_object *custody, json_object *agency, const char *path,
                      char **error);
int forms_custody_text(json_object *custody, json_object *agency, FILE *out);

/* The seal register of the organization token (R-CUSTODY, Điều 13.2),
 * landscape: SEAL_REGISTER has "entries", io.khoa.Custody SealEntries in
 * the order to print (oldest first), and "from" and "to" (ISO dates, each
 * optional) for the period it covers. Columns STT, Số hiệu thiết bị, Ngày
 * giờ nhận, Người nhận, Mục đích sử dụng, Hạn trả, Ngày giờ trả, Văn thư
 * giao / nhận lại, Ghi chú (late, not back, the note). */
int forms_seal_register_pdf(json_object *seal_register, json_object *agency, const char *path,
                            char **error);
int forms_seal_register_text(json_object *seal_register, json_object *agency, FILE *out);

/* Vietnamese number words for counts on the forms: "ba", "mười một",
 * "hai mươi mốt", "một trăm linh một". Malloc'ed; NULL when out of memory. */
char *forms_count_words(unsigned n);

/* Uppercase of a UTF-8 string, NFC, every diacritic kept ("NGUYỄN THỊ
 * HƯỜNG"). Malloc'ed; NULL on invalid UTF-8 or out of memory. */
char *forms_upper_vi(const char *utf8);
