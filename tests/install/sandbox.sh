#!/usr/bin/env bash
# khoad under the sandbox of its unit, without systemd as PID 1: the system
# call filter, the address families and W^X of khoad.service applied by
# sandbox.py (as systemd 252 loads them), as an unprivileged user with no
# capabilities, loading the modules registered with p11-kit as the service
# does. It reads the tokens, changes a PIN (locked memory), writes the
# registry, reloads its configuration on SIGHUP and stops cleanly.
#
# Environment (tests/install/meson.build): KHOAD, KHOA, SOURCE_ROOT,
# KHOAD_SERVICE (the configured unit).

# shellcheck source=../integration/lib.sh
. "$SOURCE_ROOT/tests/integration/lib.sh"

sandbox=$SOURCE_ROOT/tests/install/sandbox.py
python=/usr/bin/python3
if ! "$python" -c 'import seccomp' 2>/dev/null; then
	echo "1..0 # SKIP python3-seccomp is not installed"
	exit 0
fi
if ! command -v systemd-analyze >/dev/null; then
	echo "1..0 # SKIP systemd-analyze (which names the system calls of a group) is not installed"
	exit 0
fi
# Leaks are the integration tests' business: LeakSanitizer stops the
# process with ptrace(), which the filter (rightly) refuses.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# As the service: an unprivileged user (nobody here, khoa there), no
# supplementary group, no capability.
as_user=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	as_user=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups
		--inh-caps=-all --bounding-set=-all)
fi
in_sandbox() {
	"${as_user[@]}" "$python" "$sandbox" "$KHOAD_SERVICE" -- "$@"
}

# The filters are in force: what the unit forbids fails.
status=0
in_sandbox true >"$TMP/out" 2>&1 || status=$?
if [ "$status" -eq 125 ]; then
	echo "1..0 # SKIP seccomp filters cannot be loaded here: $(cat "$TMP/out")"
	exit 0
fi
check_eq "a program runs in the sandbox" 0 "$status"
check_status "setpriority() is refused with EPERM (~@resources, SystemCallErrorNumber=)" 1 \
	in_sandbox "$python" -c '
import os, sys
try:
    os.nice(1)
except PermissionError:
    sys.exit(1)'
check_status "an AF_INET socket is refused (RestrictAddressFamilies=)" 97 in_sandbox "$python" -c '
import errno, socket, sys
try:
    socket.socket(socket.AF_INET)
except OSError as e:
    sys.exit(e.errno)'
check_status "an AF_UNIX socket is not" 0 in_sandbox "$python" -c '
import socket; socket.socket(socket.AF_UNIX)'
check_status "a writable and executable mapping is refused (MemoryDenyWriteExecute=)" 1 \
	in_sandbox "$python" -c '
import mmap, sys
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
except OSError:
    sys.exit(1)'

make_tokens
# the user of the sandbox keeps the registry and writes the token store
chmod 755 "$TMP"
mkdir -p -m 755 "$TMP/state" "$TMP/run"	# (khoad refuses a state directory others may write)
[ ${#as_user[@]} -eq 0 ] || chown -R nobody "$TMP/state" "$TMP/run" "$TMP/fx/tokens"
chmod 644 "$TMP/khoad.conf"
SOCK=$TMP/run/khoad.sock
# khoa talks only to a khoad of root, of the user khoa or of its own user:
# this one is nobody's, so khoa runs as nobody too, an admin by the group
# adm (as root would be).
if [ ${#as_user[@]} -gt 0 ]; then
	cp "$KHOA" "$TMP/khoa.bin"
	printf '#!/bin/sh\nexec setpriv --reuid=%s --regid=%s --groups=%s %s "$@"\n' \
		"$(id -u nobody)" "$(id -g nobody)" "$(getent group adm | cut -d: -f3)" \
		"$TMP/khoa.bin" >"$TMP/khoa"
	chmod 755 "$TMP/khoa.bin" "$TMP/khoa"
	KHOA=$TMP/khoa
	printf '[roles]\nadmin = adm\n' >"$TMP/khoad.conf"
fi

# No --module: every module registered with p11-kit, as the unit runs it.
# (a simple command, not the function: $! is then khoad itself, as setpriv
# and sandbox.py exec it)
"${as_user[@]}" "$python" "$sandbox" "$KHOAD_SERVICE" -- "$KHOAD" --socket "$SOCK" \
	--scan-interval 0 --state-dir "$TMP/state" --config "$TMP/khoad.conf" 2>>"$TMP/khoad.log" &
KHOAD_PID=$!
if wait_for_khoad; then
	ok "khoad starts in the sandbox"
else
	not_ok "khoad starts in the sandbox"
	KHOAD_PID=
	done_testing
	exit 1
fi
inherited=$(awk '/^Seccomp_filters:/ { print $2 }' /proc/self/status)
check_eq "it runs under the three seccomp filters of its unit" "2 $((${inherited:-0} + 3))" \
	"$(awk '/^Seccomp:/ { m = $2 } /^Seccomp_filters:/ { n = $2 } END { print m, n }' \
		"/proc/$KHOAD_PID/status")"

want=$(p11 -L | sed -n 's/^ *serial num *: *//p' | sort)
check_eq "it reads every token through p11-kit's modules" "$want" \
	"$(khoa tokens | awk 'NR > 1 && $0 !~ /^[[:space:]]/ { print $1 }' | sort)"
serial=$(token_serial "Tran Van Duc")
check_status "it changes a PIN (locked memory, a PKCS#11 login)" 0 \
	khoa pin change "$serial" --pin-fd 3 3< <(printf '1234\n4321\n4321\n')
check_status "the new PIN logs in" 0 p11 --token-label "Tran Van Duc" --login --pin 4321 -O
check_status "it writes the registry (SQLite, WAL)" 0 \
	khoa person create --name "Trần Văn Đức" --id-number 034087654321
check_status "it registers a token" 0 khoa register "$serial" --holder 1
check_contains "the registration is read back" "Trần Văn Đức" "$(khoa token "$serial")"

printf '[rules]\nname = Sandbox test\n' >"$TMP/khoad.conf"
kill -HUP "$KHOAD_PID"
wait_for_line "$TMP/khoad.log" "configuration reloaded" || true
check_contains "SIGHUP reloads the configuration" "rules: Sandbox test" "$(cat "$TMP/khoad.log")"
check_status "and khoad still answers" 0 khoa status
check_eq "no system call was refused in its log" "" \
	"$(grep -i "operation not permitted\|bad system call" "$TMP/khoad.log" || true)"

done_testing	# SIGTERM: khoad must exit 0
