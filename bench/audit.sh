#!/usr/bin/env bash
# The audit trail at a province's size (issue 15): the registry of
# bench/province-data.py (1,000 organizations, 100,000 tokens and people,
# 1,000,000 events, 20,000 requests) on SQLite and on PostgreSQL (a
# throw-away cluster of tests/pg-cluster.sh), filled around khoad, so the
# khoad started on it first seals every row in one record, then verifies
# the trail: how long until it answers, and its peak memory (VmHWM; the
# unit's MemoryMax is 256M). Then Audit.Verify timed at the server
# (bench/province-calls.py), and a change (People.Update) timed there,
# and on a small registry with the trail and, given a khoad built without
# it (BEFORE_BUILD, e.g. of c5ec917), without: the seal's cost per change.
# Prints a table; the exit status does not depend on the figures.
#
#   bench/audit.sh [BUILD_DIR] [RUNS]        (default build, 5)
#
# PROVINCE_SCALE=0.05 for a quick try; BEFORE_BUILD=DIR for the change
# without the trail.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${2:-5}
scale=${PROVINCE_SCALE:-1}
before=${BEFORE_BUILD:-}
module=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}
calls=$root/bench/province-calls.py
TMP=$(mktemp -d /tmp/khoa-audit-bench.XXXXXX)
pg=$(mktemp -u /tmp/kb-audit.XXXXXX)
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	"$root/tests/pg-cluster.sh" stop "$pg" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
say() { printf '# %s\n' "$*" >&2; }

mkdir -p "$TMP/empty/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$TMP/empty/tokens" >"$TMP/empty/softhsm2.conf"
: >"$TMP/khoad.conf"

# run_khoad BUILD NAME ARGS...: khoad of BUILD in the background, until it
# answers; its start-up in seconds in $started
run_khoad() {
	local b=$1 name=$2 i t0
	shift 2
	t0=$(date +%s.%N)
	SOFTHSM2_CONF=$TMP/empty/softhsm2.conf "$b/daemon/khoad" --socket "$TMP/$name.sock" \
		--module "$module" --scan-interval 0 --state-dir "$TMP/$name" \
		--config "$TMP/khoad.conf" "$@" 2>>"$TMP/$name.log" &
	pid=$!
	for ((i = 0; i < 6000; i++)); do
		"$b/client/khoa" --socket "$TMP/$name.sock" status >/dev/null 2>&1 && break
		sleep 0.1
	done
	started=$(echo "$(date +%s.%N) - $t0" | bc)
}
stop_khoad() {
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
}

say "PostgreSQL cluster"
"$root/tests/pg-cluster.sh" start "$pg"
createuser -h "$pg" -U khoa --no-superuser --no-createdb --no-createrole khoa_owner
createdb -h "$pg" -U khoa -E UTF8 -T template0 -O khoa_owner bench
pg_url="host=$pg user=khoa_owner dbname=bench"
say "the schemas, by khoad"
run_khoad "$build" sqlite
stop_khoad
run_khoad "$build" pg --registry "$pg_url"
stop_khoad
# A change and its seal on a small registry (a person, on a fresh one of
# each engine): this khoad, and BEFORE_BUILD's, without the trail. On the
# province's registry the change costs what the person's access costs
# there (People.Update reads it back), the seal about 1 % of it (perf).
# change LABEL BUILD NAME ARGS...
change() {
	local label=$1 b=$2 name=$3
	shift 3
	run_khoad "$b" "$name" "$@"
	python3 -c "import json,socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(json.dumps({'method':'io.khoa.People.Create','parameters':{'full_name':'Nguyễn Văn A','id_number':'001099000001'}}).encode()+b'\\0'); s.recv(65536)" "$TMP/$name.sock"
	python3 "$calls" time "$TMP/$name.sock" "$label" $((runs * 100)) io.khoa.People.Update \
		'{"id":1,"position":"Chuyên viên"}' >>"$out"
	stop_khoad
}
out=$TMP/results.tsv
: >"$out"
for b in "$build" $before; do
	tag=$([ "$b" = "$build" ] && echo change || echo change-before)
	say "a change on a small registry: $b"
	createdb -h "$pg" -U khoa -E UTF8 -T template0 -O khoa_owner "small_$tag"
	change "sqlite:$tag" "$b" "small-sqlite-$tag"
	change "pg:$tag" "$b" "small-pg-$tag" --registry "host=$pg user=khoa_owner dbname=small_$tag"
done

say "filling both (scale $scale)"
python3 "$root/bench/province-data.py" sqlite "$TMP/sqlite/registry.db" --scale "$scale"
python3 "$root/bench/province-data.py" postgresql "host=$pg user=khoa dbname=bench" --scale "$scale"

for engine in sqlite pg; do
	args=()
	[ "$engine" = sqlite ] || args=(--registry "$pg_url")
	say "$engine: the first start (every row sealed)"
	run_khoad "$build" "$engine" "${args[@]}"
	rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
	rows=$(sed -n 's/.*audit trail begun, its \([0-9]*\) rows sealed.*/\1/p' "$TMP/$engine.log" | tail -n 1)
	echo "$engine:first	seconds=$started	rss_kib=$rss	rows=$rows" >>"$out"
	stop_khoad
	say "$engine: a later start"
	run_khoad "$build" "$engine" "${args[@]}"
	echo "$engine:start	seconds=$started	rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")" >>"$out"
	python3 "$calls" time "$TMP/$engine.sock" "$engine:verify" "$runs" io.khoa.Audit.Verify >>"$out"
	echo "$engine:verify-rss	rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")" >>"$out"
	python3 "$calls" time "$TMP/$engine.sock" "$engine:change-province" $((runs * 40)) \
		io.khoa.People.Update '{"id":1,"position":"Chuyên viên"}' >>"$out"
	stop_khoad
done

python3 - "$out" "$scale" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, *fields = line.rstrip('\n').split('\t')
    rows[label] = dict(f.split('=', 1) for f in fields)
def g(label, key, fmt='%.1f', div=1):
    r = rows.get(label, {})
    return fmt % (float(r[key]) / div) if key in r else '—'
print('\nThe audit trail at a province\'s size (scale %s)\n' % sys.argv[2])
print('| | SQLite | PostgreSQL |')
print('|---|---|---|')
print('| rows sealed by the first record | %s | %s |' % (g('sqlite:first', 'rows', '%d'), g('pg:first', 'rows', '%d')))
print('| first start, until it answers: every row sealed (s) | %s | %s |' % (g('sqlite:first', 'seconds'), g('pg:first', 'seconds')))
print('| its peak memory (MiB) | %s | %s |' % (g('sqlite:first', 'rss_kib', '%.0f', 1024), g('pg:first', 'rss_kib', '%.0f', 1024)))
print('| a later start, until it answers (the verification runs after, in its thread) (s) | %s | %s |' % (g('sqlite:start', 'seconds'), g('pg:start', 'seconds')))
print('| Audit.Verify (ms, median / p95) | %s / %s | %s / %s |' % (g('sqlite:verify', 'median', '%.0f'), g('sqlite:verify', 'p95', '%.0f'), g('pg:verify', 'median', '%.0f'), g('pg:verify', 'p95', '%.0f')))
print('| peak memory after verifying (MiB) | %s | %s |' % (g('sqlite:verify-rss', 'rss_kib', '%.0f', 1024), g('pg:verify-rss', 'rss_kib', '%.0f', 1024)))
for label, key in (('a change on the province\'s registry, People.Update (ms, median / p95)', 'change-province'),
                   ('a change on a small registry, sealed (ms, median / p95)', 'change'),
                   ('the same without the trail (BEFORE_BUILD; ms, median / p95)', 'change-before')):
    print('| %s | %s / %s | %s / %s |' % (label, g('sqlite:' + key, 'median', '%.2f'), g('sqlite:' + key, 'p95', '%.2f'), g('pg:' + key, 'median', '%.2f'), g('pg:' + key, 'p95', '%.2f')))
PY
