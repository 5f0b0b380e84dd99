/* The user's language for messages: see language.h. */
#include <langinfo.h>
#include <locale.h>
#include <stdbool.h>
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
	bool messages_set = true;
	for (size_t i = 0; i < sizeof(categories) / sizeof(*categories); i++)
		if (!setlocale(categories[i], "") && categories[i] == LC_MESSAGES)
			messages_set = false;
	/* LANG=vi_VN.UTF-8 on a machine where that locale was never generated
	 * (a fresh Debian has none but C.UTF-8): setlocale fails and gettext
	 * would stay English. The language asked for is still known: ask
	 * gettext for it by LANGUAGE, which it reads under C.UTF-8. */
	const char *asked = NULL;
	if (!messages_set && !(language && *language)) {
		static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
		for (size_t i = 0; i < sizeof(vars) / sizeof(*vars) && !asked; i++)
			if ((asked = getenv(vars[i])) && !*asked)
				asked = NULL;
	}
	if (asked && strcmp(asked, "C") != 0 && strcmp(asked, "POSIX") != 0 &&
	    strncmp(asked, "C.", 2) != 0) {
		char name[64];
		size_t n = strcspn(asked, ".@");
		if (n > 0 && n < sizeof(name)) {
			memcpy(name, asked, n);
			name[n] = '\0';
			setenv("LANGUAGE", name, 1);
			language = getenv("LANGUAGE");
		}
	}
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
