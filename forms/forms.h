/* forms/: the regulation's paper forms (Mẫu 08, 09, 10) as PDF and text.
 *
 * Linked by the client, never by the daemon (DESIGN.md "Forms and printing").
 * Layout follows /work/shared/FORMS.md (Nghị định 30/2020/NĐ-CP, Phụ lục I).
 *
 * DATA is the protocol's JSON object: an io.khoa.Handovers Handover (Mẫu 10),
 * an io.khoa.PinRequests Request (Mẫu 09), an io.khoa.Managers Change
 * (Mẫu 08). AGENCY is optional (may be NULL), an object with the strings
 * "managing_agency", "agency", "place" (e.g. "Thái Bình") and "number"
 * (e.g. "…/BB-STTTT") that fill the header; Mẫu 08 also takes "authority"
 * (the title of who decides, "GIÁM ĐỐC SỞ …") and "signer" (a name).
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

/* Vietnamese number words for counts on the forms: "ba", "mười một",
 * "hai mươi mốt", "một trăm linh một". Malloc'ed; NULL when out of memory. */
char *forms_count_words(unsigned n);

/* Uppercase of a UTF-8 string, NFC, every diacritic kept ("NGUYỄN THỊ
 * HƯỜNG"). Malloc'ed; NULL on invalid UTF-8 or out of memory. */
char *forms_upper_vi(const char *utf8);
