/* The user's language for messages: see language.h. */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "i18n.h"
#include "language.h"

void
language_setup(void)
{
	const char *dir = getenv("TEXTDOMAINDIR");
	const char *language = getenv("LANGUAGE");
	const char *messages;

	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	/* gettext ignores LANGUAGE under the "C" locale, which is what a machine
	 * without any locale set has: asking for a language is enough. */
	if (language && *language && (messages = setlocale(LC_MESSAGES, NULL)) &&
	    (strcmp(messages, "C") == 0 || strcmp(messages, "POSIX") == 0))
		setlocale(LC_MESSAGES, "C.UTF-8");
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}
