#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, on a Unix socket only, run
# by an unprivileged user (nobody when started as root: the server refuses
# root), never a shared one.
#
#   pg-cluster.sh start DIR [--durable|--primary]
#                               initdb + pg_ctl start; the socket is in DIR,
#                               the superuser is "khoa" (trust on the socket);
#                               without --durable, a commit is not waited
#                               for on disk (fast; a crash loses the last ones);
#                               --primary: a commit is waited for on a
#                               synchronous standby (synchronous_standby_names
#                               '*'; none yet: commits wait), not on disk
#                               (fsync off: a test kills processes, not the
#                               machine, and rebuilds a killed primary)
#   pg-cluster.sh standby DIR PRIMARY_DIR
#                               a synchronous streaming standby of the server
#                               in PRIMARY_DIR (pg_basebackup -R, its options),
#                               in DIR, new or one whose server is gone (its
#                               data replaced); returns once the primary
#                               counts it synchronous
#   pg-cluster.sh promote DIR   makes the standby in DIR a primary
#   pg-cluster.sh kill DIR      stops it at once (as a crash would)
#   pg-cluster.sh crash DIR     SIGKILL to the server and to every process
#                               of it at once (as a power cut would); returns
#                               once they are gone
#   pg-cluster.sh restart DIR   starts it again after a kill
#   pg-cluster.sh stop DIR      stops it and removes DIR
#
# DIR must be short (a socket path is at most 107 bytes) and reachable by
# the server's user: not under a mktemp -d of root's (0700).
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "pg-cluster.sh: no PostgreSQL server (postgresql-15)" >&2; exit 2; }

as_server() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}

# The server on DIR's socket, with the options DIR/options keeps.
start_server() {
	as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
		-o "-k $dir -c listen_addresses= $(cat "$dir/options") -c max_connections=200" start \
		|| { cat "$dir/server.log" >&2; exit 1; }
}

# DIR made, reachable by every test user, the server's own.
make_dir() {
	mkdir -p "$dir"
	[ "$(id -u)" -ne 0 ] || chown nobody:nogroup "$dir"
	chmod 755 "$dir"
}

# The server's processes still running (a killed one may stay a zombie
# where nobody reaps it).
running() { ps -o stat= -p "$(echo "$@" | tr ' ' ,)" 2>/dev/null | grep -qv '^Z'; }

# SQL on the server in DIR ($1), one value.
sql() { "$bindir/psql" -X -h "$1" -U khoa -d postgres -Atc "$2"; }

usage="usage: pg-cluster.sh start|stop|kill|crash|restart|promote DIR, standby DIR PRIMARY_DIR"
cmd=${1:-}
dir=${2:-}
mode=${3:-}
[ -n "$dir" ] || { echo "$usage" >&2; exit 2; }
case $cmd in
start)
	make_dir
	# The data in a subfolder (initdb makes it 0700): the socket beside it
	# stays reachable by every test user.
	as_server "$bindir/initdb" -D "$dir/data" -A trust -U khoa --locale=C.UTF-8 -E UTF8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	# Durability is not what most tests measure; those that stop the
	# server under khoad ask for it.
	case $mode in
	--durable) options= ;;
	--primary) options="-c fsync=off -c full_page_writes=off -c synchronous_standby_names='*'" ;;
	*) options="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" ;;
	esac
	echo "$options" >"$dir/options"
	start_server
	;;
standby)	# standby DIR PRIMARY_DIR
	[ -d "$mode/data" ] || { echo "$usage" >&2; exit 2; }
	make_dir
	rm -rf "$dir/data" "$dir"/.s.PGSQL.*	# a dead server's lock files too
	as_server "$bindir/pg_basebackup" -D "$dir/data" -h "$mode" -U khoa -R -c fast \
		--no-sync --no-manifest >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
	cp "$mode/options" "$dir/options"
	start_server
	deadline=$((SECONDS + 60))
	until [ "$(sql "$mode" "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" -ge 1 ]; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "pg-cluster.sh: $dir never became synchronous" >&2; exit 1; }
		sleep 0.01
	done
	;;
promote)
	as_server "$bindir/pg_ctl" -D "$dir/data" -w -s promote
	;;
crash)	# every process at once: the postmaster stopped first, so that it
	# forks no more, then killed with its children (each in a session of
	# its own: no group to signal)
	pid=$(head -n 1 "$dir/data/postmaster.pid")
	kill -STOP "$pid"
	pids="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
	# shellcheck disable=SC2086
	kill -KILL $pids
	deadline=$((SECONDS + 60))
	# shellcheck disable=SC2086
	while running $pids; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "pg-cluster.sh: $dir outlived SIGKILL" >&2; exit 1; }
		sleep 0.01
	done
	;;
restart)	# after a kill
	start_server
	;;
kill)	# the server stopped at once, as by a crash
	as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop
	;;
stop)
	# (pg_ctl only for a server still running: for one crashed it would
	# wait on the zombie left of it)
	if [ -f "$dir/data/postmaster.pid" ] && running "$(head -n 1 "$dir/data/postmaster.pid")"; then
		as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "$usage" >&2
	exit 2
	;;
esac
