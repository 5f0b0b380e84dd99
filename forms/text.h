/* forms/text.c: the pieces the plain-text renderings share (internal to
 * forms/). */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

struct forms_date;

/* The header of a form as lines: the agencies (NAME when AGENCY names none;
 * may be NULL), "Số: …" when NUMBERED, the national name and motto, the
 * date line of DATE (none when NULL) at AGENCY's place. */
void text_header(json_object *agency, const char *name, const struct forms_date *date,
		 bool numbered, FILE *out);
