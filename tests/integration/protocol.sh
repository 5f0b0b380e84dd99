#!/usr/bin/env bash
# The varlink service on the wire, through raw clients: framing, standard
# errors, ordering, and clients that misbehave.
# Nothing here depends on where the registry is: once, on SQLite (CI's time).
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ]; then
	echo "1..0 # SKIP the same on a PostgreSQL registry"
	exit 0
fi
. "$(dirname "$0")/lib.sh"

make_tokens
# A client that never reads is dropped once its replies have waited so long.
printf '[clients]\nidle-timeout = 3\n' >"$TMP/khoad.conf"
start_khoad

while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done < <(python3 "$SOURCE_ROOT/tests/integration/wire.py" "$SOCK" "$SOURCE_ROOT/proto" || echo "not ok - wire.py exited with $?")

check_eq "khoad survived it all" 0 "$(kill -0 "$KHOAD_PID" && echo 0)"
check_contains "khoad logged the dropped reader" "does not read its replies" "$(cat "$TMP/khoad.log")"
check_contains "khoad logged the half message" "hung up mid-message" "$(cat "$TMP/khoad.log")"

# A client limit: the one too many is refused, the others are served.
stop_khoad
: >"$TMP/khoad.conf"	# the holders below are idle: the default timeout
start_khoad --max-clients 2
# A client that connects, says so, and holds its connection until stdin closes.
hold() {
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); print("up", flush=True); sys.stdin.read()' "$SOCK"
}
coproc HOLD1 { hold; }
read -r _ <&"${HOLD1[0]}"
check_status "client 2 of 2 is served" 0 khoa tokens
{ coproc HOLD2 { hold; }; } 2>/dev/null	# bash warns of the other coproc
read -r _ <&"${HOLD2[0]}"
check_status "client 3 of 2 is refused" 1 khoa tokens
check_contains "the refused client is told why" "too many clients" "$(cat "$TMP/err")"
check_contains "the refusal is logged" "too many clients" "$(cat "$TMP/khoad.log")"
exec {HOLD1[1]}>&- {HOLD2[1]}>&-

done_testing
