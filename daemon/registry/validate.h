/*
 * Validation and normalization of the fields people type into the registry
 * (organizations, people). Every function takes the text as typed and either
 * returns 0 with *OUT a malloc'd normalized copy (the caller frees it), or
 * -EINVAL with *RULE the code of the rule broken (reasons.h: "cccd-province",
 * whose sentence is "CCCD: 12 digits, the first three a province code"; it
 * goes into io.khoa.InvalidField), or -ENOMEM. On failure *OUT is NULL; *RULE is NULL
 * unless the result is -EINVAL. A NULL IN counts as an empty string.
 *
 * Optional fields: an empty or all-blank input gives 0 with *OUT = NULL (the
 * field is cleared).
 *
 * Blanks are the Unicode space separators (category Zs: U+0020, no-break
 * space, U+3000, ...). Tabs, newlines and every other control (Cc), invisible
 * formatting character (Cf: zero-width space, bidi overrides, soft hyphen) and
 * line or paragraph separator are refused in text, not treated as blanks.
 * Lengths of text are counted in code points after NFC normalization.
 *
 * Pure functions of their input (and of today's date, for dates); any thread.
 */
#pragma once

/* A person's full name or an organization's name: required; blanks trimmed
 * at both ends and inner runs collapsed to one space; NFC; valid UTF-8; no
 * control characters; 1 to 200 characters. */
int validate_name(const char *in, char **out, const char **rule);

/* Optional one-line free text (position, address): as a name, but may be
 * empty (then *OUT = NULL) and at most 500 characters. */
int validate_text(const char *in, char **out, const char **rule);

/* Optional: "YYYY-MM-DD", or "dd/mm/yyyy" / "d/m/yyyy" (also with '.' or
 * '-' instead of '/'); *OUT is "YYYY-MM-DD". A real calendar date, year 1900
 * or later, not after today (UTC). */
int validate_birth_date(const char *in, char **out, const char **rule);

/* Optional: the day an ID card was issued, read as a birth date is, with
 * rules of its own ("date of issue: …"); not before BIRTH_DATE
 * ("YYYY-MM-DD", or NULL: unknown). validate_issue_date() is the same
 * without a birth date, in validate_name()'s shape for tables of fields. */
int validate_id_issued_on(const char *in, const char *birth_date, char **out,
			  const char **rule);
int validate_issue_date(const char *in, char **out, const char **rule);

/* Optional: a person's sex, *OUT its code "male" or "female". Typed as the
 * code or as the forms write it, "Nam" or "Nữ" ("Nu" too), in any case. */
int validate_sex(const char *in, char **out, const char **rule);

/*
 * Required: CMND (9 digits) or CCCD (12 digits); blanks anywhere are removed.
 * A CCCD's first three digits are a province code (Thông tư 07/2016/TT-BCA,
 * 59/2021/TT-BCA); the 4th encodes century and sex, the 5th and 6th the last
 * two digits of the birth year, which must not be in the future and, when
 * BIRTH_DATE ("YYYY-MM-DD", as validate_birth_date() gives it, or NULL) is
 * given, must be its year (a BIRTH_DATE not of that form is refused with the
 * birth date's rule). A CMND encodes no year and is not checked further.
 */
int validate_id_number(const char *in, const char *birth_date, char **out,
		       const char **rule);

/* Optional: trimmed, ASCII only, no blanks, one '@' between a local part (at
 * most 64 bytes) and a domain of dot-separated labels (letters, digits,
 * hyphens; at least one dot), at most 254 bytes; the domain is lower-cased,
 * the local part kept as typed. */
int validate_email(const char *in, char **out, const char **rule);

/*
 * Optional: a Vietnamese phone number; blanks, '.', '-', '(' and ')' are
 * separators. "+84…" or "84…" (a "(0)" after it is dropped) or "0…"; *OUT is
 * the national form: 10 digits starting with 0 (mobile), or 11 starting with
 * 02 (a fixed line with its area code).
 */
int validate_phone(const char *in, char **out, const char **rule);

/*
 * Optional: mã số thuế of an organization, 10 digits, or 13 for a branch
 * (dependent unit), written "0123456789-001" or without the dash; *OUT is
 * "0123456789" or "0123456789-001". Blanks anywhere are removed.
 *
 * The 10th digit is a check digit, enforced: with the weights 31 29 23 19 17
 * 13 7 5 3 on the first nine, d10 = 10 - (sum mod 11), and a sum giving 10
 * is no valid code. Checked against published codes: 0100109106 (Viettel),
 * 0100684378 (VNPT), 0100112437 (Vietcombank), 0101248141 (FPT), 0300588569
 * (Vinamilk), 0100107370 (Petrolimex), 0100100079 (EVN), 0100107518
 * (Vietnam Airlines). A branch is numbered 001 to 999.
 *
 * Not accepted: a person's 12-digit personal identification number used as
 * tax code since 1 July 2025 (Thông tư 86/2024/TT-BTC); organizations only.
 */
int validate_tax_code(const char *in, char **out, const char **rule);

/* A Unix login of this system (getpwnam): 0, -EINVAL when no user has it,
 * or another negative errno when the user database could not be read. */
int validate_login(const char *login);
