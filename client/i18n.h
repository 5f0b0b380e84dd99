/* Translation of user-facing text (gettext, domain "khoa"; po/vi.po). */
#pragma once

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)
