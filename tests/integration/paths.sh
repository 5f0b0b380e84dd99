#!/usr/bin/env bash
# Planted paths are refused (issue 15): a state directory that is a link,
# open to others or another user's; a link planted for the lock file or the
# registry; a file at the socket's path; a second khoad on a live socket
# (refused before it makes a registry); and, on the client's side, a server
# of another user behind the socket's path, refused before anything is sent.
# The registry here is always SQLite: the state directory is where it is.
# Nothing here depends on where the registry is: once, on SQLite (CI's time).
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ]; then
	echo "1..0 # SKIP the same on a PostgreSQL registry"
	exit 0
fi
. "$(dirname "$0")/lib.sh"

# No token needed: SoftHSM2 with an empty token directory.
mkdir -p "$TMP/empty/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$TMP/empty/tokens" \
	>"$TMP/empty/softhsm2.conf"
export SOFTHSM2_CONF=$TMP/empty/softhsm2.conf
chmod 755 "$TMP"	# the other user's directories below are reached through it
root=false
can_switch_user && root=true
skip() { _tests=$((_tests + 1)); echo "ok $_tests # SKIP $* (needs root and setpriv)"; }

# try_khoad SOCKET STATE_DIR: a khoad expected to refuse to start (what it
# said in $TMP/err); one that starts anyway is stopped after 10 s (124).
try_khoad() {
	timeout 10 "$KHOAD" --socket "$1" --state-dir "$2" --module "$SOFTHSM2_MODULE" \
		--scan-interval 0 --config "$TMP/khoad.conf"
}
err() { cat "$TMP/err"; }
listing() { ls -A "$1" 2>&1 | tr '\n' ' '; }

# ----- the state directory
mkdir "$TMP/victim"
! $root || chown nobody "$TMP/victim"
ln -s "$TMP/victim" "$TMP/link"
check_status "a state directory that is a symbolic link is refused" 1 try_khoad "$TMP/a.sock" "$TMP/link"
check_contains "  naming it and why" "the state directory $TMP/link is a symbolic link" "$(err)"
check_status "  also written link/" 1 try_khoad "$TMP/a.sock" "$TMP/link/"
check_eq "  nothing is made behind the link" "" "$(listing "$TMP/victim")"

mkdir "$TMP/open"
chmod 1777 "$TMP/open"
check_status "a world-writable state directory (1777) is refused" 1 try_khoad "$TMP/a.sock" "$TMP/open"
check_contains "  naming it and why" "the state directory $TMP/open is writable by others (mode 1777)" "$(err)"
check_eq "  nothing is made in it" "" "$(listing "$TMP/open")"
mkdir -m 770 "$TMP/group"
check_status "a group-writable state directory (0770) is refused" 1 try_khoad "$TMP/a.sock" "$TMP/group"
check_contains "  naming it and why" "is writable by its group (mode 0770)" "$(err)"

if $root; then
	mkdir -m 700 "$TMP/theirs"
	chown nobody "$TMP/theirs"
	check_status "another user's state directory is refused" 1 try_khoad "$TMP/a.sock" "$TMP/theirs"
	check_contains "  naming its owner" "the state directory $TMP/theirs belongs to uid $(id -u nobody), not to khoad's user (uid 0)" "$(err)"
	check_eq "  nothing is made in it" "" "$(listing "$TMP/theirs")"
else
	skip "another user's state directory is refused"
fi

# (khoad then stops: its socket's directory is missing)
check_status "a missing state directory is made" 1 try_khoad "$TMP/a/b.sock" "$TMP/made"
check_eq "  0700" 700 "$(stat -c %a "$TMP/made")"

# Links planted in the state directory, each alone: nothing made where they point.
for name in khoad.lock registry.db registry.db-wal registry.db-shm; do
	dir=$TMP/planted-$name
	mkdir -m 700 "$dir"
	ln -s "$TMP/target-$name" "$dir/$name"
	check_status "a symbolic link planted as $name is refused" 1 try_khoad "$TMP/a.sock" "$dir"
	check_contains "  naming it" "$dir/$name is a symbolic link; refusing to open it" "$(err)"
	check_eq "  nothing is made where it points" no "$([ -e "$TMP/target-$name" ] && echo yes || echo no)"
done
check_eq "  no registry.db is made beside a planted -wal" "khoad.lock registry.db-wal " \
	"$(listing "$TMP/planted-registry.db-wal")"

# ----- the socket's path
echo precious >"$TMP/file.sock"
check_status "a regular file at the socket's path: khoad refuses to start" 1 \
	try_khoad "$TMP/file.sock" "$TMP/s-file"
check_contains "  saying why" "$TMP/file.sock is a regular file, not a socket" "$(err)"
check_eq "  the file is still there" precious "$(cat "$TMP/file.sock")"
check_eq "  refused before the registry is made" no "$([ -e "$TMP/s-file" ] && echo yes || echo no)"
mkdir "$TMP/dir.sock"
check_status "a directory at the socket's path is refused" 1 try_khoad "$TMP/dir.sock" "$TMP/s-dir"
check_contains "  saying why" "$TMP/dir.sock is a directory, not a socket" "$(err)"
ln -s "$TMP/file.sock" "$TMP/link.sock"
check_status "a symbolic link at the socket's path is refused" 1 try_khoad "$TMP/link.sock" "$TMP/s-link"
check_contains "  saying why" "$TMP/link.sock is a symbolic link, not a socket" "$(err)"
check_eq "  neither it nor its target is removed" precious "$(cat "$TMP/link.sock")"

# ----- a khoad started with umask 022, on a stale socket (replaced)
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
(umask 022 && exec "$KHOAD" --socket "$SOCK" --module "$SOFTHSM2_MODULE" --scan-interval 0 \
	--state-dir "$TMP/state" --config "$TMP/khoad.conf" 2>>"$TMP/khoad.log") &
KHOAD_PID=$!
wait_for_khoad
check_eq "under umask 022 the registry's files are 0600, the directory 0700" \
	"700 state 600 khoad.lock 600 registry.db 600 registry.db-shm 600 registry.db-wal" \
	"$(cd "$TMP" && stat -c '%a %n' state state/* | sed 's|state/||' | tr '\n' ' ' | sed 's/ $//')"
check_eq "the stale socket is replaced by one anyone may reach" "socket 666" \
	"$(stat -c '%F %a' "$SOCK")"

check_status "a second khoad on the live socket is refused" 1 try_khoad "$SOCK" "$TMP/fresh"
check_contains "  saying so" "another khoad is listening on $SOCK" "$(err)"
check_eq "  before it makes a registry" no "$([ -e "$TMP/fresh" ] && echo yes || echo no)"
stop_khoad

# ----- the client: a server of another user behind the socket's path
if $root; then
	mkdir "$TMP/fake"
	chown nobody "$TMP/fake"
	cat >"$TMP/fake.py" <<-'EOF'
	# fake.py SOCKET RECORD: listens on SOCKET, writes what one client sent to RECORD
	import socket, sys
	s = socket.socket(socket.AF_UNIX)
	s.bind(sys.argv[1])
	s.listen(1)
	c, _ = s.accept()
	c.settimeout(5)
	got = b""
	try:
	    while b"\0" not in got:
	        b = c.recv(65536)
	        if not b:
	            break
	        got += b
	except socket.timeout:
	    pass
	open(sys.argv[2], "wb").write(got)
	EOF
	fake() {	# fake WHO: the fake listener as WHO, until one client came
		rm -f "$TMP/fake/khoad.sock" "$TMP/fake/got"
		as "$1" /usr/bin/python3 "$TMP/fake.py" "$TMP/fake/khoad.sock" "$TMP/fake/got" &
		fake_pid=$!
		wait_until test -S "$TMP/fake/khoad.sock"
	}
	ln -s "$TMP/fake/khoad.sock" "$TMP/planted.sock"
	fake nobody
	check_status "khoa refuses a socket served by another user" 2 "$KHOA" --socket "$TMP/planted.sock" tokens
	check_contains "  saying whose it is" "khoa: the socket $TMP/planted.sock is served by uid $(id -u nobody), not by khoad's user; refusing to talk to it" "$(err)"
	wait "$fake_pid" || true
	check_eq "  having sent nothing" 0 "$(wc -c <"$TMP/fake/got")"

	fake nobody
	cp "$KHOA" "$TMP/khoa"
	chmod 755 "$TMP/khoa"
	as nobody "$TMP/khoa" --socket "$TMP/planted.sock" tokens >/dev/null 2>&1 || true
	wait "$fake_pid" || true
	check_contains "a server of the client's own user is talked to (khoad started by hand)" \
		"io.khoa.Tokens.List" "$(tr -d '\0' <"$TMP/fake/got")"
else
	skip "khoa refuses a socket served by another user"
fi

done_testing
