/* khoad: start-up and shutdown (the command line: options.c). */
#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <systemd/sd-daemon.h>

#include "api.h"
#include "audit-watch.h"
#include "config.h"
#include "config-file.h"
#include "events.h"
#include "expiry.h"
#include "hotplug.h"
#include "import.h"
#include "inventory.h"
#include "khoa-limits.h"
#include "khoad.h"
#include "log.h"
#include "methods.h"
#include "module.h"
#include "options.h"
#include "pin-pace.h"
#include "pin-tries.h"
#include "reconcile.h"
#include "registry.h"
#include "report-watch.h"
#include "seal-watch.h"
#include "roles.h"
#include "rules.h"
#include "scanner.h"
#include "server.h"
#include "secret.h"
#include "service.h"
#include "store.h"
#include "store-access.h"
#include "store-tokens.h"
#include "watchers.h"

#define _(s) gettext(s)

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct khoad *d = arg;
	/* The loop stops after the callback under way: a transaction is
	 * never left half done (each is committed within one callback). */
	service_stopping();
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(d->base);
}

/* SIGHUP: the configuration read again; kept as it was when the new one
 * is wrong. */
static void
on_reload(evutil_socket_t sig, short what, void *arg)
{
	struct khoad *d = arg;
	struct config c;
	char *error = NULL;

	(void)sig;
	(void)what;
	service_reloading();
	if (config_load(d->config_path, d->config_required, &c, &error) < 0 ||
	    (config_resolve(&c, d->store, d->config_path, &error) < 0 &&
	     (config_release(&c), true))) {
		log_error("%s; the configuration in effect is kept",
			  error ? error : "out of memory");
		free(error);
	} else {
		roles_free(d->roles);
		rules_profile_release(d->rules);
		registry_config_release(&c.registry);	/* read at start only */
		d->roles = c.roles;
		*d->rules = c.rules;
		free(d->forms_place);
		d->forms_place = c.forms.place;
		if (!d->expiry_warn_given)
			expiry_set_warn(d, d->rules->warn_days);
		log_info("configuration reloaded from %s; rules: %s", d->config_path,
			 d->rules->name);
	}
	service_reloaded(d);
}

/* A module's scan: into the inventory, compared with the registry, and the
 * replies rebuilt. The log says when a module starts failing, changes its
 * error or recovers, not on every periodic scan. */
static void
on_scan(size_t i, struct khoa_scan *scan, void *userdata)
{
	struct khoad *d = userdata;
	struct inventory_module before;

	inventory_module(d->inventory, i, &before);
	if (scan->error && (!before.error || strcmp(before.error, scan->error) != 0))
		log_warning("module %s: %s", before.name, scan->error);
	else if (!scan->error && before.error)
		log_info("module %s: working again", before.name);

	inventory_update(d->inventory, i, scan);
	/* A commit rebuilds the snapshot's replies; without one, do it here. */
	const char *error;
	const struct khoa_token_list *tokens = inventory_module_tokens(d->inventory, i, &error);
	bool committed = !error && reconcile_module(d, before.name, tokens) > 0;
	expiry_after_scan(d);
	if (!committed && inventory_rebuild(d->inventory) < 0)
		log_error("cannot rebuild the token list; serving the previous one");
	service_status(d);
}

/* The registry changed: the snapshot's replies show registrations. */
static void
on_commit(struct khoad *d)
{
	d->registry_generation++;
	if (inventory_rebuild(d->inventory) < 0)
		log_error("cannot rebuild the token list; serving the previous one");
}

static int
when_ready(struct khoad *d, void (*done)(bool complete, void *arg), void *arg)
{
	if (inventory_complete(d->inventory))
		return 1;
	if (!done)
		return 0;
	return scanner_when_ready(d->scanner, d->rescan_timeout_s, done, arg) < 0 ? -ENOMEM : 0;
}

/* A USB device came or went: read every module again soon. */
static void
on_hotplug(void *userdata)
{
	struct khoad *d = userdata;
	scanner_request(d->scanner);
}

/* Where the registry is: PostgreSQL at the address the command line or
 * [registry] url gives, else SQLite under the state directory. */
static const char *
registry_where(const struct options *o, const struct config *c, const char **engine)
{
	const char *url = o->registry ? o->registry : c->registry.url;
	*engine = url ? "postgresql" : "sqlite";
	return url ? url : o->state_dir;
}

/* This workstation's name: the option, [registry] workstation, the host's. */
static const char *
workstation_name(const struct options *o, const struct config *c, char host[256])
{
	if (o->workstation)
		return o->workstation;
	if (c->registry.workstation)
		return c->registry.workstation;
	if (gethostname(host, 256) < 0 || !*host)
		snprintf(host, 256, "localhost");
	host[255] = '\0';
	return host;
}

/* The registry as khoad would find it at start, looked at without changing
 * it: what it is, its schema, and what the configuration names there (the
 * organizations of [clerks]). A SQLite registry not created yet is fine
 * unless [clerks] needs it. */
static int
check_in_registry(struct config *c, const struct options *o, char **error)
{
	const char *engine, *where = registry_where(o, c, &engine);
	struct store_info info;
	struct store *s;
	char host[256];

	int r = store_open_readonly(engine, where, &s, error);
	if (r == -ENOENT && !o->registry && !c->registry.url &&
	    !roles_has_clerk_entries(c->roles)) {
		free(*error);
		*error = NULL;
		printf(_("# registry = %s/registry.db (not created yet)\n"), where);
		return 0;
	}
	if (r < 0)
		return r;
	store_info(s, &info);
	int version = store_schema_version(s);
	printf(_("# registry = %s (%s)\n"), info.where, info.server);
	printf(_("# schema = %d (this khoad knows %d)\n"), version, store_schema_known());
	printf(_("# workstation = %s\n"), workstation_name(o, c, host));
	if (version > store_schema_known())
		r = store_schema_too_new(s, version, error);
	else if (roles_has_clerk_entries(c->roles))
		r = config_resolve(c, s, o->config, error);
	store_close(s);
	return r;
}

/* --check-config: the file checked and what is in effect printed. */
static int
check_config(const struct options *o)
{
	struct config c;
	char *error = NULL;

	if (config_load(o->config, o->config_given, &c, &error) < 0) {
		fprintf(stderr, "khoad: %s\n", error ? error : "out of memory");
		free(error);
		return EXIT_FAILURE;
	}
	if (c.from_file)
		printf(_("# %s: the configuration is valid\n"), o->config);
	else
		printf(_("# %s: no such file; the built-in settings apply\n"), o->config);
	config_print(&c, stdout);
	printf("\n# %s\n# socket = %s\n# state-dir = %s\n# scan-interval = %u\n"
	       "# rescan-timeout = %u\n# max-clients = %u\n# watch-backlog = %u\n"
	       "# seal-due-hours = %u\n", _("the daemon's options"), o->socket, o->state_dir,
	       o->scan_interval, o->rescan_timeout, o->max_clients ? o->max_clients : c.clients.max,
	       o->watch_backlog_kib, o->seal_due_hours);
	fflush(stdout);
	if (check_in_registry(&c, o, &error) < 0) {
		fprintf(stderr, "khoad: %s\n", error ? error : "out of memory");
		free(error);
		config_release(&c);
		return EXIT_FAILURE;
	}
	config_release(&c);
	return EXIT_SUCCESS;
}

/* --import-sqlite: into the registry the options and the file name. */
static int
import_registry(const struct options *o)
{
	struct config c;
	char *error = NULL;
	const char *engine;

	if (config_load(o->config, o->config_given, &c, &error) < 0) {
		fprintf(stderr, "khoad: %s\n", error ? error : "out of memory");
		free(error);
		return EXIT_FAILURE;
	}
	const char *where = registry_where(o, &c, &engine);
	int r = import_sqlite(engine, where, o->import_sqlite);
	config_release(&c);
	return r;
}

/* A registry whose disk takes no write (issue 15): looked at every
 * ROOM_CHECK_S seconds, and opened for writing again once there is room;
 * the workstation's record, refused meanwhile, made then. */
#define ROOM_CHECK_S 10
struct room_watch {
	struct khoad *d;
	struct event *timer;
	bool read_only;			/* as last told to systemd */
	char *workstation;		/* to record once it takes changes (NULL: done) */
	int64_t organization;
};

/* This khoad in the registry: its workstation's name, and the organization
 * [registry] says it serves (an id or a tax code, looked up). */
static int
name_workstation(struct khoad *d, struct room_watch *w, const struct options *o,
		 const struct config *c, char **error)
{
	const char *org_text = c->registry.organization;
	char host[256];
	int64_t org = 0;
	int r;

	if (org_text && (r = store_org_find(d->store, org_text, &org)) < 0) {
		if (r == -ENOENT && asprintf(error, "%s: [registry] organization: no organization "
					     "'%s' in the registry", o->config, org_text) < 0)
			*error = NULL;
		return r;
	}
	const char *name = workstation_name(o, c, host);
	if ((r = store_set_workstation(d->store, name, org)) == -EROFS) {
		/* its sightings are read by the name; the record waits for room */
		w->organization = org;
		if (!(w->workstation = strdup(name)))
			return -ENOMEM;
	} else if (r < 0) {
		return r;
	}
	log_info("workstation %s%s%s", name, org ? ", serving organization " : "",
		 org ? org_text : "");
	return 0;
}

/* Other workstations' events (a shared registry): the listening
 * connection's descriptor in the loop. When it breaks it is made again a
 * second later, and what was committed meanwhile is read then:
 * notifications are not replayed. */
struct listening {
	struct khoad *d;
	struct event *readable, *retry;
	int delay_s;		/* before the next try: 1, doubling to 30 while away */
};

static void listen_start(struct listening *l);

static void
listen_later(struct listening *l)
{
	/* (a connection is made in the loop, within connect_timeout: tried
	 * less often the longer the server stays away) */
	struct timeval later = { l->d->registry_away ? l->delay_s : 1, 0 };
	if (l->readable)
		event_free(l->readable);
	l->readable = NULL;
	store_listen_close(l->d->store);
	evtimer_add(l->retry, &later);
	l->delay_s = l->delay_s >= 15 ? 30 : l->delay_s ? l->delay_s * 2 : 1;
}

static void
on_heard(evutil_socket_t fd, short what, void *arg)
{
	struct listening *l = arg;
	(void)fd;
	(void)what;
	int r = store_listen_drain(l->d->store);
	if (r > 0) {
		l->d->registry_generation++;
		events_catch_up(l->d->events);
	}
	else if (r < 0) {
		log_warning("registry: no longer hearing of other workstations' events; "
			    "listening again");
		listen_later(l);
	}
}

static void
on_listen_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	listen_start(arg);
}

static void
listen_start(struct listening *l)
{
	struct khoad *d = l->d;
	int fd = store_listen(d->store);
	if (fd == -ENOTSUP)
		return;		/* SQLite: this khoad is the only writer */
	if (fd < 0 || !(l->readable = event_new(d->base, fd, EV_READ | EV_PERSIST, on_heard,
						l)) ||
	    event_add(l->readable, NULL) < 0) {
		/* The server away: said once, to the log and to systemd. */
		if (fd == -ENOTCONN && !d->registry_away) {
			d->registry_away = true;
			log_error("registry: the server is not reachable; the tokens on this desk "
				  "are still read, the registry's calls are refused until it is back");
			service_status(d);
		}
		listen_later(l);
		return;
	}
	d->registry_generation++;	/* changed, maybe, while not listening */
	events_catch_up(d->events);	/* what was committed while not listening */
	l->delay_s = 0;
	if (d->registry_away) {
		/* Back: what changed on the desk meanwhile is read and recorded
		 * (no write was queued: the devices say what is plugged in). */
		d->registry_away = false;
		log_info("registry: reachable again; reading the tokens again to record "
			 "what changed meanwhile");
		scanner_request(d->scanner);
		service_status(d);
	}
}

/* What run() sets up besides the context, to take down in turn. */
struct process {
	struct listening listening;
	struct khoa_module **mods;	/* not yet handed to a worker: ours */
	size_t n_mods;
	struct event *signals[3];
	struct hotplug *hotplug;
	struct rules_profile rules;	/* d.rules points here; replaced on reload */
	struct clients_config clients;	/* [clients], read at start */
	struct room_watch room;
	/* the registry as opened, for the audit trail's own connection */
	const char *registry_engine;
	char *registry_where;
};

static void
on_room_check(evutil_socket_t fd, short what, void *arg)
{
	struct room_watch *w = arg;
	struct khoad *d = w->d;
	(void)fd;
	(void)what;

	bool read_only = store_try_writable(d->store) < 0;	/* (said in the log) */
	if (!read_only && w->workstation &&
	    store_set_workstation(d->store, w->workstation, w->organization) == 0) {
		free(w->workstation);
		w->workstation = NULL;
	}
	if (read_only == w->read_only)
		return;
	w->read_only = read_only;
	if (!read_only)		/* what changed on the desk meanwhile, recorded */
		scanner_request(d->scanner);
	service_status(d);
}

/* The configuration, the registry and its events. */
static int
open_registry(struct khoad *d, struct process *p, const struct options *o)
{
	struct config config;
	char *error = NULL;

	int r = config_load(o->config, o->config_given, &config, &error);
	if (r == 0) {
		d->roles = config.roles;
		p->rules = config.rules;
		p->clients = config.clients;
		d->forms_place = config.forms.place;
		log_info("rules: %s", d->rules->name);
		const char *engine, *where = registry_where(o, &config, &engine);
		p->registry_engine = engine;
		if (!(p->registry_where = strdup(where)))
			r = -ENOMEM;
		else if ((r = store_open(engine, where, &d->store, &error)) == 0 &&
		    (store_set_floor(d->store, (uint64_t)config.registry.free_space_floor << 20),
		     (r = config_resolve(&config, d->store, o->config, &error)) == 0))
			r = name_workstation(d, &p->room, o, &config, &error);
		registry_config_release(&config.registry);	/* read at start only */
	}
	if (r < 0) {
		log_error("%s", error ? error : "out of memory");
		free(error);
		return -1;
	}
	if (roles_has_unscoped_clerks(d->roles))
		log_warning("[roles] maps a group to clerk of no organization: its members act "
			    "as the clerk of every organization until [clerks] names theirs");
	if (!(d->watchers = watchers_new(d, (size_t)o->watch_backlog_kib * 1024)) ||
	    !(d->events = events_new(d->store, watchers_send, d->watchers)))
		return -1;
	return 0;
}

/* The modules, their workers and what they read, and the socket. */
static int
open_devices(struct khoad *d, struct process *p, const struct options *o)
{
	char *error = NULL;
	const struct server_limits limits = {
		.max = o->max_clients ? o->max_clients : p->clients.max,
		.reserve = p->clients.reserve,
		.per_user = p->clients.per_user,
		.idle_timeout_s = p->clients.idle_timeout,
	};

	if (khoa_modules_load(o->modules, o->n_modules, &p->mods, &p->n_mods, &error) < 0) {
		log_error("cannot load PKCS#11 modules: %s", error ? error : "out of memory");
		free(error);
		return -1;
	}
	for (size_t i = 0; i < p->n_mods; i++)
		log_info("module %s (%s)", khoa_module_name(p->mods[i]),
			 khoa_module_path(p->mods[i]));
	if (p->n_mods == 0)
		log_warning("no PKCS#11 module is registered with p11-kit; no token will show");
	if (!(d->pin_pace = pin_pace_new()) ||
	    !(d->inventory = inventory_new((const struct khoa_module *const *)p->mods, p->n_mods,
					   registry_token_registration, d->store)) ||
	    !(d->server = server_new(d->base, d, o->socket, &limits)) ||
	    !(d->scanner = scanner_new(d->base, p->mods, p->n_mods, o->scan_interval, on_scan, d)))
		return -1;
	/* NULL without udev or netlink: slot events and periodic scans remain */
	p->hotplug = hotplug_new(d->base, on_hotplug, d);
	return 0;
}

/* The timers, and the signals. */
static int
start_watching(struct khoad *d, struct process *p, const struct options *o)
{
	static const struct {
		int signal;
		void (*fn)(evutil_socket_t, short, void *);
	} handlers[] = { { SIGINT, on_signal }, { SIGTERM, on_signal }, { SIGHUP, on_reload } };
	int warn[EXPIRY_WARN_MAX + 1];

	/* the option, else the profile's */
	memcpy(warn, o->expiry_warn_given ? o->expiry_warn : d->rules->warn_days, sizeof(warn));
	if (seal_watch_start(d) < 0 || !expiry_start(d, warn) || report_watch_start(d) < 0 ||
	    audit_watch_start(d, p->registry_engine, p->registry_where) < 0)
		return -1;
	p->listening.d = d;
	if (!(p->listening.retry = evtimer_new(d->base, on_listen_retry, &p->listening)))
		return -1;
	p->room.d = d;
	p->room.read_only = store_read_only(d->store, NULL) != NULL;
	if (!(p->room.timer = event_new(d->base, -1, EV_PERSIST, on_room_check, &p->room)) ||
	    event_add(p->room.timer, &(struct timeval){ ROOM_CHECK_S, 0 }) < 0)
		return -1;
	listen_start(&p->listening);
	report_watch_check(d, time(NULL));
	for (size_t i = 0; i < 3; i++)
		if (!(p->signals[i] = evsignal_new(d->base, handlers[i].signal, handlers[i].fn, d)) ||
		    evsignal_add(p->signals[i], NULL) < 0)
			return -1;
	return 0;
}

static void
stop(struct khoad *d, struct process *p)
{
	if (p->listening.readable)
		event_free(p->listening.readable);
	if (p->listening.retry)
		event_free(p->listening.retry);
	if (p->room.timer)
		event_free(p->room.timer);
	free(p->room.workstation);
	for (size_t i = 0; i < 3; i++)
		if (p->signals[i])
			event_free(p->signals[i]);
	service_free(d);
	d->stopping = true;
	/* Clients first, so that no new call reaches the scanner as it stops;
	 * the server itself lives on until the calls it deferred are answered. */
	server_disconnect_all(d->server);
	audit_watch_free(d);	/* a verification under way: waited for */
	hotplug_free(p->hotplug);
	scanner_free(d->scanner);	/* the PIN tries it finishes are paced, recorded */
	pin_pace_free(d->pin_pace);
	server_free(d->server);
	expiry_free(d->expiry);
	events_free(d->events);
	watchers_free(d->watchers);
	for (size_t i = 0; p->mods && i < p->n_mods; i++)
		khoa_module_free(p->mods[i]);
	free(p->mods);
	inventory_free(d->inventory);
	store_close(d->store);
	free(p->registry_where);
	roles_free(d->roles);
	free(d->forms_place);
	rules_profile_release(&p->rules);
	event_base_free(d->base);
}

static int
run(const struct options *o)
{
	struct process p = { .rules = *rules_default() };
	struct khoad d = { .interfaces = api_interfaces,
			   .rescan_timeout_s = o->rescan_timeout,
			   .rules = &p.rules,
			   .committed = on_commit,
			   .when_ready = when_ready,
			   .pin_tried = registry_pin_tried,
			   .seal_due_hours = o->seal_due_hours,
			   .config_path = o->config,
			   .config_required = o->config_given,
			   .expiry_warn_given = o->expiry_warn_given };
	char why[256];
	int ret = EXIT_FAILURE;

	if (methods_check(api_interfaces, why, sizeof(why)) < 0) {
		log_error("the methods do not match the interface files: %s", why);
		return EXIT_FAILURE;
	}
	/* A second khoad on a live socket stops here, before it makes or
	 * migrates a registry. (A socket systemd passes is not khoad's to
	 * check: server_new() takes it.) */
	if (sd_listen_fds(0) == 0 && server_path_free(o->socket) < 0)
		return EXIT_FAILURE;
	clock_gettime(CLOCK_REALTIME, &d.started);
	if (evthread_use_pthreads() < 0 || !(d.base = event_base_new())) {
		log_error("cannot set up the event loop");
		return EXIT_FAILURE;
	}
	if (open_registry(&d, &p, o) == 0 && open_devices(&d, &p, o) == 0 &&
	    start_watching(&d, &p, o) == 0) {
		log_info("listening on %s", server_path(d.server));
		if (service_ready(&d) < 0)
			ret = EXIT_FAILURE;	/* it said why */
		else if (event_base_dispatch(d.base) < 0)
			log_error("the event loop failed");
		else
			ret = EXIT_SUCCESS;
	}
	stop(&d, &p);
	return ret;
}

int
main(int argc, char **argv)
{
	struct options o;
	const char *dir = getenv("TEXTDOMAINDIR");

	/* PINs pass through this process: no core dump may hold one. */
	prctl(PR_SET_DUMPABLE, 0);
	secret_wipe_event_buffers();	/* before libevent allocates anything */
	/* What khoad makes is its own whatever umask it was started with (the
	 * unit's UMask=0077): the registry, its -wal and -shm (0600), the state
	 * directory (0700). The socket is made 0666 on purpose (socket_listen()). */
	umask(077);
	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	textdomain(PACKAGE);
	signal(SIGPIPE, SIG_IGN);

	if (options_init(&o, argc) < 0)
		return EXIT_FAILURE;
	int r = options_parse(argc, argv, &o);
	if (r == 0 && o.check_config) {
		r = check_config(&o) == EXIT_SUCCESS ? 1 : -1;
	} else if (r == 0 && o.import_sqlite) {
		r = import_registry(&o) == EXIT_SUCCESS ? 1 : -1;
	} else if (r == 0) {
		log_set_verbose(o.verbose);
		r = run(&o) == EXIT_SUCCESS ? 1 : -1;
	}
	options_release(&o);
	return r > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
