#!/usr/bin/env bash
# No PIN left in khoad's memory (issue 15): after a PIN change, a core of
# the running daemon (gcore) holds neither the old PIN nor the new one; not
# the message they came in, nor json-c's copies, nor libevent's buffers.
# Nothing here depends on where the registry is: once, on SQLite (CI's time).
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ]; then
	echo "1..0 # SKIP the same on a PostgreSQL registry"
	exit 0
fi
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v gcore >/dev/null; then
	echo "1..0 # SKIP needs root and gcore (gdb) to read khoad's memory"
	exit 0
fi
if [ -n "${KHOA_TEST_SANITIZED:-}" ]; then	# the core would hold the shadow memory
	echo "1..0 # SKIP a core of a sanitized khoad is too large to search"
	exit 0
fi
make_tokens
start_khoad
duc=$(token_serial "Tran Van Duc")
# PINs no other byte of the process would hold by chance.
old=1234 new="Qz7#pK2vW9-mXe"
call io.khoa.Pin.Change "{\"serial\":\"$duc\",\"old_pin\":\"$old\",\"new_pin\":\"$new\"}" >"$TMP/out"
check_eq "the PIN is changed" "{}" "$(jq -c . "$TMP/out")"
call io.khoa.Pin.Change "{\"serial\":\"$duc\",\"old_pin\":\"$new\",\"new_pin\":\"Ab3!rT8uYq0#Lm\"}" >"$TMP/out"
check_eq "and changed again (the new PIN sent as the old)" "{}" "$(jq -c . "$TMP/out")"
gcore -o "$TMP/core" "$KHOAD_PID" >/dev/null 2>&1
core=$(ls "$TMP"/core.*)
count() { grep -c -a -o -F -- "$1" "$core" || true; }
check_eq "copies of the first new PIN in khoad's memory" 0 "$(count "$new")"
check_eq "copies of the second" 0 "$(count "Ab3!rT8uYq0#Lm")"
check_eq "copies of the message a PIN came in" 0 "$(count '"new_pin":')"
rm -f "$core"
done_testing
