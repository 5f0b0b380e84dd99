#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, on a Unix socket only, run
# by an unprivileged user (nobody when started as root: the server refuses
# root), never a shared one.
#
#   pg-cluster.sh start DIR [--durable]
#                               initdb + pg_ctl start; the socket is in DIR,
#                               the superuser is "khoa" (trust on the socket);
#                               without --durable, a commit is not waited
#                               for on disk (fast; a crash loses the last ones)
#   pg-cluster.sh kill DIR      stops it at once (as a crash would)
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

cmd=${1:-}
dir=${2:-}
durable=${3:-}
[ -n "$dir" ] || { echo "usage: pg-cluster.sh start|stop|kill|restart DIR" >&2; exit 2; }
case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -ne 0 ] || chown nobody:nogroup "$dir"
	chmod 755 "$dir"
	# The data in a subfolder (initdb makes it 0700): the socket beside it
	# stays reachable by every test user.
	as_server "$bindir/initdb" -D "$dir/data" -A trust -U khoa --locale=C.UTF-8 -E UTF8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	# Durability is not what most tests measure; those that stop the
	# server under khoad ask for it.
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "$durable" != --durable ] || fast=
	echo "$fast" >"$dir/options"
	start_server
	;;
restart)	# after a kill
	start_server
	;;
kill)	# the server stopped at once, as by a crash
	as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: pg-cluster.sh start|stop|kill|restart DIR" >&2
	exit 2
	;;
esac
