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

	/* Only the categories the output depends on: LC_CTYPE (UTF-8, the
	 * width of a letter on the terminal), LC_MESSAGES (gettext) and
	 * LC_NUMERIC (a decimal comma in Vietnamese). Not LC_ALL: each further
	 * category is a file to read at every start, and bash completion
	 * starts khoa on every TAB. */
	static const int categories[] = { LC_CTYPE, LC_MESSAGES, LC_NUMERIC };
	for (size_t i = 0; i < sizeof(categories) / sizeof(*categories); i++)
		setlocale(categories[i], "");
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
