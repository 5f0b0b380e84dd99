#!/usr/bin/env bash
# Fair connections (issue 15): one user cannot take every slot, root and the
# technicians keep a reserve, a connection with nothing to do is closed,
# clients that never read or never finish a message hold little memory,
# and the well-behaved are answered meanwhile. The crowds are crowd.py's,
# each run as an ordinary user (nobody) unless said otherwise.
# Nothing here depends on where the registry is: once, on SQLite (CI's time).
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ]; then
	echo "1..0 # SKIP the same on a PostgreSQL registry"
	exit 0
fi
. "$(dirname "$0")/lib.sh"

access_callers	# root and setpriv; [roles] technician = users (news)
make_tokens
cp "$SOURCE_ROOT/tests/integration/crowd.py" "$TMP/crowd.py"
chmod 755 "$TMP/crowd.py"
crowd() { python3 "$TMP/crowd.py" "$1" "$SOCK" "${@:2}"; }
crowd_as() { local who=$1; shift; as "$who" /usr/bin/python3 "$TMP/crowd.py" "$1" "$SOCK" "${@:2}"; }
roles=$(cat "$TMP/khoad.conf")
# khoad's peak resident memory, in MiB
peak_mib() { echo $(($(awk '/^VmHWM/ { print $2 }' "/proc/$KHOAD_PID/status") / 1024)); }

# ----- 1,000 connections of one user: 32 taken, the others refused at
# once; another user's and root's calls answered all the while.
start_khoad
check_contains "--check-config shows [clients]" "per-user = 32" \
	"$("$KHOAD" --config "$TMP/khoad.conf" --check-config 2>&1)"
coproc CROWD { crowd_as nobody hold 1000; }
read -r counts <&"${CROWD[0]}"
check_eq "1,000 connections of one user: its 32 taken, the rest refused" \
	"accepted=32 refused=968" "$counts"
read -r _ <&"${CROWD[0]}"	# holding
out=$(crowd_as games calls 20)
check_eq "meanwhile another user's 20 Tokens.List all answered" "answered=20" "${out%% *}"
echo "# another user's Tokens.List under the crowd: ${out#* }"
out=$(crowd calls 20)
check_eq "and root's" "answered=20" "${out%% *}"
check_status "khoa tokens as another user too" 0 as games "$KHOA" --socket "$SOCK" tokens
check_contains "the refusals are logged, with the user" "of user uid $(id -u nobody)" \
	"$(cat "$TMP/khoad.log")"
as nobody "$KHOA" --socket "$SOCK" tokens >"$TMP/out" 2>"$TMP/err" || true
check_contains "the crowd's user is told why" "too many clients" "$(cat "$TMP/err")"
exec {CROWD[1]}>&-
wait "$CROWD_PID"
stop_khoad

# ----- the reserve: of 40, the last 8 for root, technicians and admins
printf '%s\n[clients]\nmax = 40\nper-user = 40\nreserve = 8\n' "$roles" >"$TMP/khoad.conf"
start_khoad
coproc CROWD { crowd_as nobody hold 40; }
read -r counts <&"${CROWD[0]}"
check_eq "an ordinary user takes 32 of 40, the reserve kept" "accepted=32 refused=8" "$counts"
read -r _ <&"${CROWD[0]}"
check_status "a technician is served from the reserve" 0 as tech "$KHOA" --socket "$SOCK" tokens
check_status "root is" 0 "$KHOA" --socket "$SOCK" tokens
check_status "another ordinary user is not" 1 as games "$KHOA" --socket "$SOCK" tokens
exec {CROWD[1]}>&-
wait "$CROWD_PID"
check_status "once the crowd has gone, it is" 0 as games "$KHOA" --socket "$SOCK" tokens
stop_khoad

# ----- idle connections are closed; a watch is not idle
printf '%s\n[clients]\nidle-timeout = 1\n' "$roles" >"$TMP/khoad.conf"
start_khoad
"$KHOA" --socket "$SOCK" watch >"$TMP/watch" 2>&1 &
watcher=$!
wait_for_line "$TMP/watch" "Watching for events"
check_eq "a connection that asks nothing is closed after idle-timeout" closed \
	"$(crowd idle)"
call io.khoa.Organizations.Create '{"name":"Sau Khi Chờ"}' >"$TMP/out"
wait_for_line "$TMP/watch" "Sau Khi Chờ" || true
check_contains "a watch, as long without a call, still hears the events" "Sau Khi Chờ" \
	"$(cat "$TMP/watch")"
kill "$watcher"; wait "$watcher" 2>/dev/null || true
stop_khoad

# ----- memory: 127 clients that pipeline calls and never read, 32 that
# never finish a message (1 MiB each)
printf '%s\n[clients]\nper-user = 128\nreserve = 0\n' "$roles" >"$TMP/khoad.conf"
start_khoad
coproc CROWD { crowd_as nobody flood 127; }
read -r counts <&"${CROWD[0]}"
check_eq "127 clients sent calls until khoad read no more" "stuck=127" "$counts"
read -r _ <&"${CROWD[0]}"
check_status "a client that reads is answered meanwhile" 0 khoa tokens
flood_peak=$(peak_mib)
exec {CROWD[1]}>&-
wait "$CROWD_PID"
stop_khoad
printf '%s\n' "$roles" >"$TMP/khoad.conf"
start_khoad
coproc CROWD { crowd_as nobody partial 100; }
read -r counts <&"${CROWD[0]}"
check_eq "of 100 unfinished 1 MiB messages of one user, 32 are held" "accepted=32" "$counts"
read -r _ <&"${CROWD[0]}"
check_status "a client that reads is answered meanwhile" 0 khoa tokens
partial_peak=$(peak_mib)
exec {CROWD[1]}>&-
wait "$CROWD_PID"
echo "# khoad's peak RSS: ${flood_peak} MiB with 127 clients not reading, ${partial_peak} MiB with 32 unfinished messages"
if [ -n "${KHOA_TEST_SANITIZED:-}" ]; then
	ok "# SKIP the sanitizers' shadow memory is not khoad's"
	ok "# SKIP the sanitizers' shadow memory is not khoad's"
else
	check_eq "127 clients not reading leave khoad under 64 MiB" yes \
		"$([ "$flood_peak" -lt 64 ] && echo yes || echo "no: $flood_peak MiB")"
	check_eq "32 unfinished messages leave khoad under 64 MiB" yes \
		"$([ "$partial_peak" -lt 64 ] && echo yes || echo "no: $partial_peak MiB")"
fi

done_testing
