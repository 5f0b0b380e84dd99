#!/usr/bin/env bash
# A province-sized registry (issue 14): 1,000 organizations, 100,000
# tokens each with its certificate, 1,000,000 events, 20,000 requests
# (bench/province-data.py), the same on SQLite and on PostgreSQL (a
# throw-away cluster of tests/pg-cluster.sh on this machine's socket).
# Timed at the server, from sending the call to the reply read, on one
# connection (bench/province-calls.py): the province's annual report
# (Mẫu 07 of the whole registry), every organization's, the expiring
# certificates (khoa expiring, the province's), Tokens.List on a
# workstation with a few SoftHSM2 tokens. Then PostgreSQL under load: 10
# khoad on the one database, each its own tokens, 8 clients each reading
# from a different khoad, one adding people through the 9th, a watcher of
# the 10th's events: reads/s, writes/s, the event delay. Prints a table,
# SQLite beside PostgreSQL. The exit status does not depend on the figures.
#
#   bench/province.sh [BUILD_DIR] [RUNS]        (default build, 20)
#
# PROVINCE_SCALE=0.05 for a quick try (the counts times 0.05);
# PROVINCE_LOAD_S (default 20) the seconds of the load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${2:-20}
scale=${PROVINCE_SCALE:-1}
load_s=${PROVINCE_LOAD_S:-20}
module=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}
khoad=$build/daemon/khoad khoa=$build/client/khoa
calls=$root/bench/province-calls.py
year=$(date -u +%Y)
TMP=$(mktemp -d /tmp/khoa-province.XXXXXX)
pg=$(mktemp -u /tmp/kb-prov.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	"$root/tests/pg-cluster.sh" stop "$pg" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
t_start=$SECONDS
say() { printf '# %s (%d s)\n' "$*" $((SECONDS - t_start)) >&2; }

# SoftHSM2 tokens of a desk: DIR/softhsm2.conf and N tokens, a key's
# self-signed certificate on each (what Tokens.List reads).
make_desk() {
	local dir=$1 n=$2 name=$3 i
	mkdir -p "$dir/tokens"
	printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$dir/tokens" >"$dir/softhsm2.conf"
	for ((i = 1; i <= n; i++)); do
		SOFTHSM2_CONF=$dir/softhsm2.conf softhsm2-util --init-token --free \
			--label "$name-$i" --so-pin 12345678 --pin 1234 >/dev/null
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout /dev/null -subj "/C=VN/O=$name/CN=Cán bộ $i" -days 365 \
			-outform DER -out "$dir/cert$i.der" 2>/dev/null
		SOFTHSM2_CONF=$dir/softhsm2.conf pkcs11-tool --module "$module" \
			--token-label "$name-$i" --login --pin 1234 --write-object "$dir/cert$i.der" \
			--type cert --id 01 --label "Cán bộ $i" >/dev/null 2>&1
	done
}

# launch_khoad NAME DESK ARGS...: khoad NAME on DESK's tokens, in the
# background; wait_khoad NAME: until it answers; start_khoad: both.
launch_khoad() {
	local name=$1 desk=$2
	shift 2
	SOFTHSM2_CONF=$desk/softhsm2.conf "$khoad" --socket "$TMP/$name.sock" --module "$module" \
		--scan-interval 0 --state-dir "$TMP/$name" --config "$TMP/khoad.conf" "$@" \
		2>"$TMP/$name.log" &
	pids+=($!)
}
wait_khoad() {
	local i
	for ((i = 0; i < 3000; i++)); do
		"$khoa" --socket "$TMP/$1.sock" status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "province.sh: khoad $1 did not come up" >&2
	cat "$TMP/$1.log" >&2
	exit 1
}
start_khoad() {
	launch_khoad "$@"
	wait_khoad "$1"
}
stop_khoads() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}

: >"$TMP/khoad.conf"
say "the desks' tokens"
make_desk "$TMP/desk" 4 "So TTTT"
for w in 0 1 2 3 4 5 6 7 8 9; do make_desk "$TMP/desk$w" 2 "w$w"; done

# ---- the two registries, built by khoad's own migrations (no token on
# the desk yet), then filled
say "PostgreSQL cluster, the province's role (khoa_owner, as the README has it)"
"$root/tests/pg-cluster.sh" start "$pg"
createuser -h "$pg" -U khoa --no-superuser --no-createdb --no-createrole khoa_owner
createdb -h "$pg" -U khoa -E UTF8 -T template0 -O khoa_owner bench
pg_url="host=$pg user=khoa_owner dbname=bench"
mkdir -p "$TMP/empty/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$TMP/empty/tokens" >"$TMP/empty/softhsm2.conf"
start_khoad pgmigrate "$TMP/empty" --registry "$pg_url" --workstation sottt-01
start_khoad sqlite "$TMP/empty" --workstation sottt-01
stop_khoads
rm -rf "$TMP/sqlite.sock"
say "filling both (in parallel)"
python3 "$root/bench/province-data.py" sqlite "$TMP/sqlite/registry.db" --scale "$scale" \
	2>"$TMP/fill-sqlite.log" &
fill_sq=$!
python3 "$root/bench/province-data.py" postgresql "host=$pg user=khoa dbname=bench" \
	--scale "$scale" 2>"$TMP/fill-pg.log" &
fill_pg=$!
wait $fill_sq || { cat "$TMP/fill-sqlite.log" >&2; exit 1; }
wait $fill_pg || { cat "$TMP/fill-pg.log" >&2; exit 1; }
cat "$TMP/fill-sqlite.log" "$TMP/fill-pg.log" >&2
schema=$(sqlite3 "$TMP/sqlite/registry.db" 'SELECT max(version) FROM schema_migrations')

# ---- timed at the server, one engine after the other
out=$TMP/results.tsv
: >"$out"
# measure LABEL NAME [orgs]: the calls to khoad NAME, as LABEL
measure() {
	local label=$1 sock=$TMP/$2.sock
	python3 "$calls" time "$sock" "$label:annual" "$runs" io.khoa.Reports.Annual \
		"{\"year\":$year}" >>"$out"
	[ "${3:-}" != orgs ] ||
		python3 "$calls" orgs "$sock" "$label:annual-orgs" "$year" 1 1000 >>"$out"
	python3 "$calls" time "$sock" "$label:expiring" "$(((runs + 3) / 4))" \
		io.khoa.Expiry.Expiring >>"$out"
}
# timed_start LABEL NAME DESK ARGS...: khoad NAME, how long until it answers
timed_start() {
	local label=$1 t=$SECONDS
	shift
	start_khoad "$@"
	echo "$label:start	seconds=$((SECONDS - t))" >>"$out"
}
say "SQLite: khoad starting on it, timing"
timed_start sqlite sqlite "$TMP/desk" --workstation sottt-01
measure sqlite sqlite orgs
stop_khoads
# As the README has the province's khoad: the role that owns the
# database, row-level security forced on it too (0011).
say "PostgreSQL, the province's role: khoad starting on it, timing"
timed_start postgresql pg "$TMP/desk" --registry "$pg_url" --workstation sottt-01
measure postgresql pg orgs
stop_khoads
# The same queries without row-level security: a superuser's connection.
say "PostgreSQL, a superuser: timing"
timed_start postgresql-su pg "$TMP/desk" --registry "host=$pg user=khoa dbname=bench" \
	--workstation sottt-01
measure postgresql-su pg orgs
stop_khoads
# PostgreSQL compiles a statement it costs high (jit_above_cost) before
# running it; khoad's connection takes the server's default (on).
say "PostgreSQL, a superuser, jit = off: timing"
psql -X -q -h "$pg" -U khoa -d bench -c 'ALTER DATABASE bench SET jit = off'
timed_start postgresql-su-nojit pg "$TMP/desk" --registry "host=$pg user=khoa dbname=bench" \
	--workstation sottt-01
measure postgresql-su-nojit pg
stop_khoads
psql -X -q -h "$pg" -U khoa -d bench -c 'ALTER DATABASE bench RESET jit'

# Tokens.List on the workstation: both khoad up at once, the calls in turn
say "Tokens.List, SQLite and PostgreSQL in turn"
start_khoad sqlite "$TMP/desk" --workstation sottt-01
start_khoad pg "$TMP/desk" --registry "$pg_url" --workstation sottt-01
python3 "$calls" pair "$TMP/sqlite.sock" sqlite:tokens "$TMP/pg.sock" postgresql:tokens \
	$((runs * 25)) io.khoa.Tokens.List >>"$out"
stop_khoads

# ---- ten workstations on the one database, under load: nine agencies'
# (the README's roles: khoa_org_N, a member of khoa_ws, serving one
# department and its units), the tenth Sở TT&TT's, the province's role
say "PostgreSQL: 10 khoad starting at once"
psql -X -q -h "$pg" -U khoa -d bench -c "CREATE ROLE khoa_ws NOLOGIN;
	GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO khoa_ws;
	GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO khoa_ws"
t=$SECONDS
for w in 0 1 2 3 4 5 6 7 8 9; do
	if ((w < 9)); then
		psql -X -q -h "$pg" -U khoa -d bench -c "CREATE ROLE khoa_org_$((w + 2)) LOGIN IN ROLE khoa_ws;
			INSERT INTO registry_roles VALUES ('khoa_org_$((w + 2))', $((w + 2)))"
		url="host=$pg user=khoa_org_$((w + 2)) dbname=bench"
	else
		url=$pg_url
	fi
	launch_khoad "w$w" "$TMP/desk$w" --registry "$url" --workstation "w$w"
done
for w in 0 1 2 3 4 5 6 7 8 9; do wait_khoad "w$w"; done
echo "load:start10	seconds=$((SECONDS - t))" >>"$out"
say "PostgreSQL: until the 10 settle (their start-up work done)"
python3 "$calls" settle 180 "$TMP"/w[0-9].sock >>"$out"
say "PostgreSQL: an agency's report, as its role (w0 serves the department 2)"
python3 "$calls" time "$TMP/w0.sock" agency:annual "$runs" io.khoa.Reports.Annual \
	"{\"year\":$year,\"organization_id\":2}" >>"$out"
say "PostgreSQL: load for $load_s s"
python3 "$calls" load "$load_s" "$TMP/w8.sock:10" "$TMP/w9.sock" \
	"$TMP/w0.sock:2" "$TMP/w1.sock:3" "$TMP/w2.sock:4" "$TMP/w3.sock:5" \
	"$TMP/w4.sock:6" "$TMP/w5.sock:7" "$TMP/w6.sock:8" "$TMP/w7.sock:9" >>"$out"
stop_khoads
say "done"

# ---- the table
python3 - "$out" "$scale" "$runs" "$schema" "$((SECONDS - t_start))" <<'EOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, *fields = line.rstrip('\n').split('\t')
    rows[label] = dict(f.split('=', 1) for f in fields)
scale, runs, schema, took = sys.argv[2:6]
def g(label, key, fmt='%.1f'):
    r = rows.get(label, {})
    return fmt % float(r[key]) if key in r else '—'
def g3(label, key):
    v = float(rows.get(label, {}).get(key, 99))
    return g(label, key, '%.3f' if v < 1 else '%.2f' if v < 10 else '%.1f')
print('\nA province-sized registry (scale %s; schema %s), timed at the server over %s runs '
      '(median / p95, ms)\n' % (scale, schema, runs))
engines = ['sqlite', 'postgresql', 'postgresql-su', 'postgresql-su-nojit']
print('| call | SQLite | PostgreSQL, the province\'s role | PostgreSQL, a superuser (no row-level '
      'security) | the same, jit = off | PostgreSQL / SQLite |')
print('|---|---|---|---|---|---|')
def line(name, key):
    cells = ['%s / %s' % (g3(e + ':' + key, 'median'), g3(e + ':' + key, 'p95'))
             if e + ':' + key in rows else '' for e in engines]
    s, p = rows.get('sqlite:' + key), rows.get('postgresql:' + key)
    ratio = '%.2f×' % (float(p['median']) / float(s['median'])) if s and p else ''
    print('| %s | %s | %s |' % (name, ' | '.join(cells), ratio))
line("the province's annual report (Reports.Annual, the whole registry)", 'annual')
line("an organization's report (each of the 1,000 once)", 'annual-orgs')
print("| all 1,000 organizations' reports, one after the other (s) | %s |  |"
      % ' | '.join(g(e + ':annual-orgs', 'total_s', '%.2f') if e + ':annual-orgs' in rows else ''
                   for e in engines))
exp = rows.get('postgresql:expiring', {})
line('khoa expiring: Expiry.Expiring, 120 days (%s certificates, %.1f MB)'
     % (exp.get('items', '?'), float(exp.get('bytes', 0)) / 1e6), 'expiring')
line('Tokens.List on the workstation (%s tokens; both khoad up, the calls in turn)'
     % rows.get('postgresql:tokens', {}).get('items', '?'), 'tokens')
print('| khoad start on the filled registry, until it answers (s) | %s |  |'
      % ' | '.join(g(e + ':start', 'seconds', '%d') for e in engines))
if 'agency:annual' in rows:
    print("| an agency's own report (department 2), as the agency's role, before the load | "
          "| %s / %s | | | |" % (g3('agency:annual', 'median'), g3('agency:annual', 'p95')))
l = rows.get('load')
if l:
    print('\nPostgreSQL under load, %s s: 10 khoad on the one database, started at once (all '
          'answering after %s s, settled after %s s more), each with its own 2 tokens; 8 '
          'agencies\' khoad (their own '
          'roles) each read by a client in turn Tokens.List, People.Get (one of the agency\'s '
          'people), Organizations.Get (the agency); a 9th agency\'s adds people '
          '(People.Create, one client); the 10th is Sở TT&TT\'s (the province\'s role), '
          'whose Events.Watch hears them\n' % (l['seconds'], g('load:start10', 'seconds', '%d'),
                                               g('settle', 'seconds', '%.0f')))
    print('| | |')
    print('|---|---|')
    print('| reads/s, all 8 khoad | %s (one khoad: %s to %s; %s errors) |'
          % (l['reads_s'], l['per_khoad_min'], l['per_khoad_max'], l['read_errors']))
    print('| of which Tokens.List / People.Get / Organizations.Get per s | %s / %s / %s |'
          % (l['tokens_list_s'], l['people_get_s'], l['org_get_s']))
    print('| writes/s (People.Create, one client) | %s (%s in all) |' % (l['writes_s'], l['writes']))
    print('| event delay: sending the write → its event at the 10th khoad\'s watcher | '
          'p50 %s ms, p99 %s ms, max %s ms (%s of %s heard) |'
          % (l['delay_p50'], l['delay_p99'], l['delay_max'], l['heard'], l['writes']))
    print('| the same from the write\'s reply | p99 %s ms |' % l['after_reply_p99'])
print('\nTook %s s in all (data generation included).' % took)
EOF
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg), $(psql -X -At -h "$pg" -U khoa -d bench -c 'SHOW server_version' 2>/dev/null || echo '?'), SQLite $(sqlite3 --version | cut -d' ' -f1)"
