/* Translation of user-facing text (gettext, domain "khoa"; po/vi.po). */
#pragma once

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)
/* Marks S for translation in CONTEXT, for a lookup later (usage.c: the
 * "metavar" of what an option takes, "ID", is not the column title "ID"). */
#define NC_(context, s)	(s)
