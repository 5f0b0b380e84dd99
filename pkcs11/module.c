/* Loading PKCS#11 modules through p11-kit and scanning them. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/p11-kit.h>

#include "module.h"
#include "read.h"
#include "text.h"

struct khoa_module {
	CK_FUNCTION_LIST *funcs;
	char *name;
	char *path;
	bool initialized;
	bool reinitialize;
	char *description;
	char *manufacturer;
	char version[16];
};

const char *
khoa_module_name(const struct khoa_module *m)
{
	return m->name;
}

const char *
khoa_module_path(const struct khoa_module *m)
{
	return m->path;
}

void
khoa_scan_clear(struct khoa_scan *scan)
{
	khoa_token_list_clear(&scan->tokens);
	free(scan->description);
	free(scan->manufacturer);
	free(scan->error);
	memset(scan, 0, sizeof(*scan));
}

static struct khoa_module *
module_new(CK_FUNCTION_LIST *funcs)
{
	struct khoa_module *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->funcs = funcs;
	m->path = p11_kit_module_get_filename(funcs);
	m->name = p11_kit_module_get_name(funcs);
	if (!m->name && m->path) {
		/* loaded by path: name it after the file, without ".so" */
		char *copy = strdup(m->path);
		if (copy) {
			char *base = basename(copy), *dot = strstr(base, ".so");
			if (dot)
				*dot = '\0';
			m->name = strdup(base);
			free(copy);
		}
	}
	if (!m->path || !m->name) {
		free(m->path);
		free(m->name);
		free(m);
		return NULL;
	}
	return m;
}

void
khoa_module_finalize(struct khoa_module *m)
{
	if (m->initialized) {
		p11_kit_module_finalize(m->funcs);
		m->initialized = false;
	}
}

void
khoa_module_free(struct khoa_module *m)
{
	if (!m)
		return;
	khoa_module_finalize(m);
	p11_kit_module_release(m->funcs);
	free(m->name);
	free(m->path);
	free(m->description);
	free(m->manufacturer);
	free(m);
}

/* Trust-policy modules (p11-kit-trust) carry the system's CA anchors. */
static bool
is_trust_module(CK_FUNCTION_LIST *funcs)
{
	if (p11_kit_module_get_flags(funcs) & P11_KIT_MODULE_TRUSTED)
		return true;
	char *opt = p11_kit_config_option(funcs, "trust-policy");
	bool trust = opt && (strcmp(opt, "yes") == 0 || strcmp(opt, "true") == 0);
	free(opt);
	return trust;
}

static int
load_registered(struct khoa_module ***out, size_t *n_out, char **error)
{
	CK_FUNCTION_LIST **all = p11_kit_modules_load(NULL, 0);
	if (!all) {
		if (asprintf(error, "p11-kit: %s", p11_kit_message()) < 0)
			*error = NULL;
		return -EIO;
	}

	size_t n = 0;
	while (all[n])
		n++;
	struct khoa_module **mods = calloc(n + 1, sizeof(*mods));
	if (!mods) {
		p11_kit_modules_release(all);
		return -ENOMEM;
	}

	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_trust_module(all[i])) {
			p11_kit_module_release(all[i]);
			continue;
		}
		if (!(mods[kept] = module_new(all[i]))) {
			for (size_t j = i; j < n; j++)
				p11_kit_module_release(all[j]);
			while (kept > 0)
				khoa_module_free(mods[--kept]);
			free(mods);
			free(all);
			return -ENOMEM;
		}
		kept++;
	}
	free(all);	/* the modules themselves are now ours */
	*out = mods;
	*n_out = kept;
	return 0;
}

static int
load_paths(const char *const *paths, size_t n, struct khoa_module ***out, size_t *n_out,
	   char **error)
{
	struct khoa_module **mods = calloc(n + 1, sizeof(*mods));
	if (!mods)
		return -ENOMEM;

	for (size_t i = 0; i < n; i++) {
		/* p11-kit resolves a relative path against its module directory;
		 * a path with a slash in it means the caller's directory. */
		char *abs = paths[i][0] != '/' && strchr(paths[i], '/') ? realpath(paths[i], NULL) : NULL;
		CK_FUNCTION_LIST *funcs = p11_kit_module_load(abs ? abs : paths[i], 0);
		free(abs);
		int r = -ENOMEM;
		if (!funcs) {
			if (asprintf(error, "%s: %s", paths[i], p11_kit_message()) < 0)
				*error = NULL;
			r = -ENOENT;
		} else if ((mods[i] = module_new(funcs))) {
			continue;
		} else {
			p11_kit_module_release(funcs);
		}
		while (i > 0)
			khoa_module_free(mods[--i]);
		free(mods);
		return r;
	}
	*out = mods;
	*n_out = n;
	return 0;
}

int
khoa_modules_load(const char *const *paths, size_t n_paths,
		  struct khoa_module ***out, size_t *n_out, char **error)
{
	*error = NULL;
	*out = NULL;
	*n_out = 0;
	return n_paths ? load_paths(paths, n_paths, out, n_out, error)
		       : load_registered(out, n_out, error);
}

/*
 * Whether a scan must finalize and initialize the module to see new tokens.
 * An admin says so in the module's p11-kit file ("x-khoa-reinitialize: yes");
 * otherwise only SoftHSM2 needs it: its object store is read at C_Initialize.
 * Modules of real readers (OpenSC over pcscd) see cards come and go, and a
 * finalize would drop every session they hold.
 */
static bool
wants_reinitialize(CK_FUNCTION_LIST *funcs, const CK_INFO *info)
{
	char *opt = p11_kit_config_option(funcs, "x-khoa-reinitialize");
	if (opt) {
		bool yes = strcmp(opt, "yes") == 0 || strcmp(opt, "true") == 0;
		free(opt);
		return yes;
	}
	return memcmp(info->manufacturerID, "SoftHSM", 7) == 0;
}

static int
scan_error(struct khoa_scan *out, const char *what, CK_RV rv)
{
	if (asprintf(&out->error, "%s: %s", what, p11_kit_strerror(rv)) < 0)
		out->error = NULL;
	return rv == CKR_HOST_MEMORY ? -ENOMEM : -EIO;
}

static CK_RV
initialize(struct khoa_module *m)
{
	CK_INFO info;
	CK_RV rv = p11_kit_module_initialize(m->funcs);
	if (rv != CKR_OK)
		return rv;
	m->initialized = true;
	if (!m->description && m->funcs->C_GetInfo(&info) == CKR_OK) {
		char *desc = khoa_text_from_padded(info.libraryDescription,
						   sizeof(info.libraryDescription));
		if (desc && asprintf(&m->description, "%s %u.%u", desc,
				     info.libraryVersion.major, info.libraryVersion.minor) < 0)
			m->description = NULL;
		free(desc);
		m->manufacturer = khoa_text_from_padded(info.manufacturerID,
							sizeof(info.manufacturerID));
		snprintf(m->version, sizeof(m->version), "%u.%u", info.libraryVersion.major,
			 info.libraryVersion.minor);
		m->reinitialize = wants_reinitialize(m->funcs, &info);
	}
	return CKR_OK;
}

int
khoa_module_scan(struct khoa_module *m, struct khoa_scan *out)
{
	CK_RV rv;

	memset(out, 0, sizeof(*out));
	if (m->initialized && m->reinitialize) {
		p11_kit_module_finalize(m->funcs);
		m->initialized = false;
	}
	if (!m->initialized && (rv = initialize(m)) != CKR_OK)
		return scan_error(out, "C_Initialize", rv);

	out->reinitialize = m->reinitialize;
	if ((m->description && !(out->description = strdup(m->description))) ||
	    (m->manufacturer && !(out->manufacturer = strdup(m->manufacturer))))
		return -ENOMEM;
	memcpy(out->version, m->version, sizeof(out->version));
	/* Every slot the module sees, a reader without a card too: what an
	 * administrator checks first when a token does not show. */
	CK_ULONG n = 0;
	if (m->funcs->C_GetSlotList(CK_FALSE, NULL, &n) == CKR_OK)
		out->n_slots = n;
	return khoa_read_tokens(m->funcs, m->name, &out->tokens, &out->error);
}

bool
khoa_module_watchable(const struct khoa_module *m)
{
	return m->initialized && !m->reinitialize;
}

/* Reads only m->funcs, which never changes: safe beside the owner's calls. */
int
khoa_module_wait_slot_event(struct khoa_module *m)
{
	CK_SLOT_ID slot;

	switch (m->funcs->C_WaitForSlotEvent(0, &slot, NULL)) {
	case CKR_OK:
		return 1;
	case CKR_FUNCTION_NOT_SUPPORTED:
		return 0;
	case CKR_CRYPTOKI_NOT_INITIALIZED:
		return -ESHUTDOWN;
	case CKR_HOST_MEMORY:
		return -ENOMEM;
	case CKR_NO_EVENT:	/* only allowed with CKF_DONT_BLOCK */
		return -EAGAIN;
	default:
		return -EIO;
	}
}

CK_FUNCTION_LIST *
khoa_module_functions(struct khoa_module *m, CK_RV *rv)
{
	*rv = CKR_OK;
	if (!m->initialized && (*rv = initialize(m)) != CKR_OK)
		return NULL;
	return m->funcs;
}
