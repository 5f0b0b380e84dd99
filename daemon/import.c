/* khoad --import-sqlite: see import.h. */
#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "store-import.h"
#include "store.h"

#define _(s) gettext(s)
#define N_(s) (s)

/* Copies FROM to TO (a new file, 0600); -ENOENT when FROM is not there. */
static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n = 0;
	int in = open(from, O_RDONLY | O_CLOEXEC), out, r = 0;

	if (in < 0)
		return -errno;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	if (n < 0)
		r = errno ? -errno : -EIO;
	if (close(out) < 0 && r == 0)
		r = -errno;
	close(in);
	return r;
}

/* The source's directory (PATH, or the one holding PATH's registry.db),
 * refused while a khoad keeps it (its flock). */
static int
source_dir(const char *path, char **dir)
{
	struct stat st;
	char *lock = NULL;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		*dir = strdup(path);
	else {
		const char *slash = strrchr(path, '/');
		*dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
	}
	if (!*dir || asprintf(&lock, "%s/khoad.lock", *dir) < 0)
		return -ENOMEM;
	int fd = open(lock, O_RDONLY | O_CLOEXEC), r = 0;
	free(lock);
	if (fd >= 0) {
		if (flock(fd, LOCK_SH | LOCK_NB) < 0)
			r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
	}
	return r;
}

static const char *
table_name(const char *table)
{
	/* the tables by the names people know them by */
	static const char *const names[][2] = {
		{ "organizations", N_("organizations") }, { "people", N_("people") },
		{ "person_logins", N_("logins") }, { "workstations", N_("workstations") },
		{ "certificates", N_("certificates") }, { "tokens", N_("tokens") },
		{ "token_sightings", N_("where tokens were seen") },
		{ "token_certs", N_("certificates on tokens") },
		{ "bindings", N_("certificate bindings") }, { "holders", N_("holders") },
		{ "expiry_notices", N_("expiry notices") },
		{ "requests", N_("PIN-recovery requests") },
		{ "request_transitions", N_("PIN-recovery request steps") }, { "handovers", N_("handovers") },
		{ "handover_rows", N_("handover rows") }, { "custody_links", N_("custody moves") },
		{ "seal_log", N_("seal register") }, { "manager_changes", N_("manager changes") },
		{ "lifecycle_requests", N_("certificate requests") },
		{ "lifecycle_transitions", N_("certificate request steps") },
		{ "certificate_lineage", N_("certificate lineage") },
		{ "certificate_revocations", N_("revocations") },
		{ "annual_reports", N_("annual reports") }, { "events", N_("events") },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], table) == 0)
			return _(names[i][1]);
	return table;
}

static void
print_conflict(const struct store_import_conflict *c)
{
	switch (c->clash) {
	case STORE_CLASH_TAX_CODE:
		/* TRANSLATORS: an organization in the imported registry and
		 * one in the shared registry with the same tax code */
		printf(_("  tax code %s: organization #%lld \"%s\" here, #%lld \"%s\" in the registry\n"),
		       c->key, (long long)c->here_id, c->here, (long long)c->there_id, c->there);
		break;
	case STORE_CLASH_ID_NUMBER:
		printf(_("  one ID number: person #%lld \"%s\" here, #%lld \"%s\" in the registry\n"),
		       (long long)c->here_id, c->here, (long long)c->there_id, c->there);
		break;
	case STORE_CLASH_HOLDER:
		printf(_("  token %s: held by \"%s\" here, by \"%s\" in the registry\n"), c->key,
		       c->here, c->there);
		break;
	case STORE_CLASH_LOGIN:
		printf(_("  login %s: person #%lld \"%s\" here, #%lld \"%s\" in the registry\n"),
		       c->key, (long long)c->here_id, c->here, (long long)c->there_id, c->there);
		break;
	}
}

static void
print_counts(const struct store_import *im)
{
	unsigned long copied = 0;

	for (size_t i = 0; i < im->n_counts; i++) {
		const struct store_import_count *n = &im->counts[i];
		copied += n->copied;
		if (!n->copied && !n->matched && !n->before && !n->skipped)
			continue;
		/* TRANSLATORS: "  people: 12 copied, 1 already there, 0 from an
		 * earlier import" */
		printf(_("  %s: %lu copied, %lu already there, %lu from an earlier import"),
		       table_name(n->table), n->copied, n->matched, n->before);
		if (n->skipped)
			printf(_(", %lu not the province's (a report on the whole registry)"),
			       n->skipped);
		putchar('\n');
	}
	if (!copied)
		printf(_("Nothing new to import: this registry was imported before.\n"));
}

int
import_sqlite(const char *engine, const char *where, const char *path)
{
	char tmp[] = "/tmp/khoad-import.XXXXXX", *dir = NULL, *from = NULL, *to = NULL;
	struct store *src = NULL, *dst = NULL;
	struct store_import im = { 0 };
	char *error = NULL;
	int r;

	if ((r = source_dir(path, &dir)) < 0) {
		if (r == -EBUSY)
			fprintf(stderr, _("khoad: %s: a khoad is running on this registry; stop it "
					  "first\n"), dir);
		else
			fprintf(stderr, "khoad: %s: %s\n", path, strerror(-r));
		free(dir);
		return EXIT_FAILURE;
	}
	if (strcmp(engine, "sqlite") == 0) {
		fprintf(stderr, _("khoad: --import-sqlite moves a registry into a shared one: "
				  "name it with --registry or [registry] url\n"));
		free(dir);
		return EXIT_FAILURE;
	}
	/* A copy, brought up to this khoad's schema: the source stays as it was. */
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "khoad: %s: %s\n", tmp, strerror(errno));
		free(dir);
		return EXIT_FAILURE;
	}
	static const char *const files[] = { "registry.db", "registry.db-wal" };
	for (size_t i = 0; i < 2; i++) {
		if (asprintf(&from, "%s/%s", dir, files[i]) < 0 ||
		    asprintf(&to, "%s/%s", tmp, files[i]) < 0) {
			r = -ENOMEM;
			break;
		}
		r = copy_file(from, to);
		if (r == -ENOENT && i > 0)
			r = 0;	/* no write-ahead log: all is in the file */
		if (r < 0)
			fprintf(stderr, "khoad: %s: %s\n", from, strerror(-r));
		free(from);
		free(to);
		from = to = NULL;
		if (r < 0)
			break;
	}
	if (r == 0 && (r = store_open("sqlite", tmp, &src, &error)) == 0 &&
	    (r = store_open(engine, where, &dst, &error)) == 0) {
		struct store_info info;
		store_info(dst, &info);
		r = store_import(dst, src, &im);
		if (r == 0) {
			printf(_("Imported %s into %s:\n"), path, info.where);
			print_counts(&im);
		} else if (r == -EEXIST) {
			printf(_("Not imported: %s and %s name the same things differently "
				 "(%zu conflicts); nothing was written:\n"), path, info.where,
			       im.n_conflicts);
			for (size_t i = 0; i < im.n_conflicts; i++)
				print_conflict(&im.conflicts[i]);
			printf(_("Correct one registry or the other, then import again.\n"));
		} else {
			fprintf(stderr, _("khoad: could not import %s: %s\n"), path,
				r == -ENOMEM ? strerror(ENOMEM) : _("the registry refused; see above"));
		}
	} else if (r < 0 && error) {
		fprintf(stderr, "khoad: %s\n", error);
	}
	store_import_clear(&im);
	store_close(dst);
	store_close(src);
	free(error);
	for (size_t i = 0; i < 4; i++) {
		static const char *const made[] = { "registry.db", "registry.db-wal",
						    "registry.db-shm", "khoad.lock" };
		if (asprintf(&to, "%s/%s", tmp, made[i]) >= 0) {
			unlink(to);
			free(to);
		}
	}
	rmdir(tmp);
	free(dir);
	return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
