#!/usr/bin/env bash
# test-fault.sh MODULE SOURCE_ROOT: khoa-fault.so (MODULE) checked with OpenSC's
# pkcs11-tool as an independent witness, on a token store made by
# tests/fixture/mktokens.sh.  TAP output.  The control-file protocol is in
# tests/fault/README.md.
set -euo pipefail

MODULE=${1:?usage: test-fault.sh MODULE SOURCE_ROOT}
SOURCE_ROOT=${2:?usage: test-fault.sh MODULE SOURCE_ROOT}
SOFTHSM=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}
export LC_ALL=C
unset KHOA_FAULT_MODULE

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khoa-fault.XXXXXX")
BG_PID=
cleanup() {
	[ -n "$BG_PID" ] && kill "$BG_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

_tests=0
_failed=0
ok() { _tests=$((_tests + 1)); echo "ok $_tests - $*"; }
not_ok() { _tests=$((_tests + 1)); _failed=$((_failed + 1)); echo "not ok $_tests - $*"; }
diag() { sed 's/^/#   /' | head -n 40; }

# check DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		not_ok "$1"
		{ echo "expected:"; echo "$2"; echo "actual:"; echo "$3"; } | diag
	fi
}
# check_has / check_lacks DESCRIPTION NEEDLE HAYSTACK
check_has() {
	if [[ "$3" == *"$2"* ]]; then ok "$1"; else
		not_ok "$1"
		{ echo "wanted: $2"; echo "in:"; echo "$3"; } | diag
	fi
}
check_lacks() {
	if [[ "$3" != *"$2"* ]]; then ok "$1"; else
		not_ok "$1"
		{ echo "unwanted: $2"; echo "in:"; echo "$3"; } | diag
	fi
}
# check_true DESCRIPTION COMMAND...
check_true() {
	if "${@:2}"; then ok "$1"; else not_ok "$1"; fi
}

# A module built with AddressSanitizer can only be dlopen'd by a program
# whose first library is the ASan runtime: preload it into the pkcs11-tool
# that loads the module (and only there).  pkcs11-tool's OpenSSL leaks a
# little at exit, with SoftHSM2 alone too: suppressed.
ASAN=()
NO_LEAKS=()
if readelf -d "$MODULE" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
	printf 'leak:libcrypto.so\n' >"$TMP/lsan.supp"
	ASAN=("LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so)"
		"LSAN_OPTIONS=suppressions=$TMP/lsan.supp:print_suppressions=0")
	# pkcs11-tool itself leaks a byte whenever it logs in
	NO_LEAKS=("ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
	echo "# AddressSanitizer build: ${ASAN[*]}"
fi

now_ms() { date +%s%3N; }

# Waits until COMMAND... succeeds; false after 60 s, a deadline only a
# failure reaches however loaded the machine.
wait_for() {
	local deadline=$((SECONDS + 60))
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.02
	done
}

# Hangs of FUNCTION on KEY begun so far (hangs.log "start" lines).
hangs() {
	local n
	n=$(grep -cx "start $1 $2" "$FAULT/hangs.log" 2>/dev/null) || true
	echo "${n:-0}"
}
# mark_hangs FUNCTION KEY, start the call, then await_hangs N: waits until
# N more hangs of FUNCTION on KEY have begun since the mark.
mark_hangs() { MARK_FN=$1 MARK_KEY=$2 MARK_N=$(hangs "$1" "$2"); }
_hangs_reached() { [ "$(hangs "$MARK_FN" "$MARK_KEY")" -ge $((MARK_N + $1)) ]; }
_hangs_exactly() { [ "$(hangs "$MARK_FN" "$MARK_KEY")" -eq $((MARK_N + $1)) ]; }
await_hangs() { wait_for _hangs_reached "$1"; }

# ------------------------------------------------------------------ store
if ! "$SOURCE_ROOT/tests/fixture/mktokens.sh" "$TMP/fx" >"$TMP/fixture.log" 2>&1; then
	diag <"$TMP/fixture.log"
	echo "Bail out! mktokens.sh failed"
	exit 1
fi
# shellcheck disable=SC1091
. "$TMP/fx/env"
FAULT=$TMP/fault
mkdir "$FAULT"

p11() { env "${ASAN[@]}" pkcs11-tool --module "$MODULE" "$@"; }
p11_pin() { env "${ASAN[@]}" "${NO_LEAKS[@]}" pkcs11-tool --module "$MODULE" "$@"; }
hsm() { pkcs11-tool --module "$SOFTHSM" "$@"; }
# Label and serial of every token listed, one "label<TAB>serial" per line.
tokens() {
	"$@" -L | awk '
		function val(s) { sub(/^[^:]*: */, "", s); sub(/ +$/, "", s); return s }
		/^Slot /            { label = "" }
		/^  token label +:/ { label = val($0) }
		/^  serial num +:/  { print label "\t" val($0) }'
}
serial_of() { awk -F '\t' -v l="$1" '$1 == l { print $2; exit }' "$TMP/fx/manifest.tsv"; }
flags_of() {	# flags_of SERIAL [pkcs11-tool runner]: the "token flags" line of that token
	local runner=${2:-p11}
	"$runner" -L | awk -v s="$1" '
		/^Slot /                { f = "" }
		/^  token flags +:/     { f = $0; sub(/^[^:]*: */, "", f) }
		/^  serial num +:/      { v = $0; sub(/^[^:]*: */, "", v); if (v == s) print f }'
}

LOCK_LABEL="Tran Van Duc"
LOCK=$(serial_of "$LOCK_LABEL")
HANG=$(serial_of "Nguyen Thi Huong")
GONE=$(serial_of "Le Quang Vy")
MID=$(serial_of "Van phong UBND")

# -------------------------------------------------------- pass-through
tokens hsm >"$TMP/direct"
check_eq "five tokens in the store" 5 "$(wc -l <"$TMP/direct")"
check_eq "without KHOA_FAULT_DIR: same tokens and serials as SoftHSM2" \
	"$(cat "$TMP/direct")" "$(tokens p11)"
export KHOA_FAULT_DIR=$FAULT
check_eq "with an empty KHOA_FAULT_DIR: same tokens and serials" \
	"$(cat "$TMP/direct")" "$(tokens p11)"
check_true "pass-through: objects listed through the module" \
	grep -q "Certificate Object" <(p11 --token-label "$LOCK_LABEL" -O 2>&1)

# ---------------------------------------------------------- PIN lockout
echo 3 >"$FAULT/$LOCK.max-tries"
login() {	# login PIN: exit status and C_Login error of a user login on LOCK
	local rc=0
	p11_pin --token-label "$LOCK_LABEL" --login --pin "$1" -O >"$TMP/login.out" 2>&1 || rc=$?
	echo "$rc $(grep -o 'CKR_[A-Z_]*' "$TMP/login.out" | head -n 1)"
}
check_lacks "fresh token: no 'count low'" "user PIN count low" "$(flags_of "$LOCK")"

check_eq "wrong PIN 1: CKR_PIN_INCORRECT" "1 CKR_PIN_INCORRECT" "$(login 4321)"
f=$(flags_of "$LOCK")
check_has "after 1 wrong PIN: user PIN count low" "user PIN count low" "$f"
check_lacks "after 1 wrong PIN: not the final try" "final user PIN try" "$f"

check_eq "wrong PIN 2: CKR_PIN_INCORRECT" "1 CKR_PIN_INCORRECT" "$(login 4321)"
f=$(flags_of "$LOCK")
check_has "after 2 wrong PINs: final user PIN try" "final user PIN try" "$f"
check_lacks "after 2 wrong PINs: not locked" "user PIN locked" "$f"

check_eq "wrong PIN 3: CKR_PIN_INCORRECT" "1 CKR_PIN_INCORRECT" "$(login 4321)"
f=$(flags_of "$LOCK")
check_has "after 3 wrong PINs: user PIN locked" "user PIN locked" "$f"
check_lacks "locked: no 'count low' left over from SoftHSM2" "user PIN count low" "$f"
check_lacks "locked: no 'final try'" "final user PIN try" "$f"

check_eq "locked: the correct PIN is refused with CKR_PIN_LOCKED" "1 CKR_PIN_LOCKED" "$(login 1234)"
check_eq "calls.log: the refusal came from the wrapper" \
	"C_Login $LOCK CKR_PIN_LOCKED USER fault" "$(tail -n 1 "$FAULT/calls.log")"
# SoftHSM2 clears its own COUNT_LOW on a correct login: still set means the
# correct PIN never reached it.
check_has "locked: the correct PIN never reached SoftHSM2" \
	"user PIN count low" "$(flags_of "$LOCK" hsm)"
check_eq "locked: the lock holds across processes (wrong-tries file)" 3 "$(cat "$FAULT/$LOCK.wrong-tries")"

rc=0
p11_pin --token-label "$LOCK_LABEL" --init-pin --login --login-type so --so-pin 12345678 \
	--new-pin 5678 >"$TMP/initpin.out" 2>&1 || rc=$?
check_eq "SO login + C_InitPIN succeed on the locked token" 0 "$rc"
f=$(flags_of "$LOCK")
check_lacks "after C_InitPIN: unlocked" "user PIN locked" "$f"
check_lacks "after C_InitPIN: no 'count low'" "user PIN count low" "$f"
check_eq "after C_InitPIN: the count is 0" 0 "$(cat "$FAULT/$LOCK.wrong-tries")"
check_eq "login with the new PIN works" "0 " "$(login 5678)"
check_true "logged in: the private key is listed" grep -q "Private Key Object" "$TMP/login.out"
check_eq "the old PIN is now wrong" "1 CKR_PIN_INCORRECT" "$(login 1234)"
check_has "one wrong try counted" "user PIN count low" "$(flags_of "$LOCK")"
login 5678 >/dev/null
check_lacks "a correct login resets the count" "user PIN count low" "$(flags_of "$LOCK")"
check_eq "count reset to 0" 0 "$(cat "$FAULT/$LOCK.wrong-tries")"

# Two processes trying wrong PINs at once: both tries count.  Both are held
# in a C_Login hang, then let go together.  (Started plainly side by side, one
# of them often finds no token: a SoftHSM2 process that starts while another
# rewrites the token file skips that token.)
echo "C_Login 10" >"$FAULT/$LOCK.hang"
mark_hangs C_Login "$LOCK"
p11_pin --token-label "$LOCK_LABEL" --login --pin 4321 -O >/dev/null 2>&1 &
p11_pin --token-label "$LOCK_LABEL" --login --pin 4321 -O >/dev/null 2>&1 &
check_true "two logins hang at once" await_hangs 2
rm "$FAULT/$LOCK.hang"
wait
check_eq "two concurrent wrong PINs: count 2" 2 "$(cat "$FAULT/$LOCK.wrong-tries")"
login 5678 >/dev/null

check_eq "calls.log: SO login and C_InitPIN recorded" \
	"C_Login $LOCK CKR_OK SO module
C_InitPIN $LOCK CKR_OK USER module" "$(grep -E '^C_Login .* SO |^C_InitPIN ' "$FAULT/calls.log")"
check_eq "calls.log: five fields per line" "" "$(awk 'NF != 5' "$FAULT/calls.log")"
check_eq "calls.log holds no PIN" "" "$(grep -Ew '1234|4321|5678|12345678' "$FAULT/calls.log" || true)"

# C_SetPIN refused once the token locks: lock it from "another process"
# while pkcs11-tool --change-pin hangs between its login and C_SetPIN.
echo "C_SetPIN 10" >"$FAULT/$LOCK.hang"
mark_hangs C_SetPIN "$LOCK"
p11_pin --token-label "$LOCK_LABEL" --change-pin --pin 5678 --new-pin 1234 >"$TMP/setpin.out" 2>&1 &
BG_PID=$!
check_true "C_SetPIN hang started" await_hangs 1
echo 3 >"$FAULT/$LOCK.wrong-tries"
rm "$FAULT/$LOCK.hang"
rc=0
wait "$BG_PID" || rc=$?
BG_PID=
check_eq "C_SetPIN on a locked token: CKR_PIN_LOCKED" "1 CKR_PIN_LOCKED" \
	"$rc $(grep -o 'CKR_[A-Z_]*' "$TMP/setpin.out" | head -n 1)"
check_eq "calls.log: C_SetPIN refused by the wrapper" \
	"C_SetPIN $LOCK CKR_PIN_LOCKED USER fault" "$(tail -n 1 "$FAULT/calls.log")"
check_true "hangs.log: that hang was cut" grep -qx "end C_SetPIN $LOCK cut" "$FAULT/hangs.log"
rm "$FAULT/$LOCK.max-tries" "$FAULT/$LOCK.wrong-tries"
check_eq "without max-tries: SoftHSM2's PIN (5678) still works" "0 " "$(login 5678)"

# ----------------------------------------------------------------- hangs
# (Durations are checked from below only: load can lengthen them, never
# shorten them. What ended a hang, hangs.log says.)
echo "C_GetTokenInfo 2" >"$FAULT/$HANG.hang"
mark_hangs C_GetTokenInfo "$HANG"
t0=$(now_ms)
tokens p11 >"$TMP/hung"
t1=$(now_ms)
check_true "C_GetTokenInfo hang of 2 s: pkcs11-tool -L takes >= 2 s ($((t1 - t0)) ms)" \
	test $((t1 - t0)) -ge 2000
check_true "... and hangs once, not at every call" _hangs_exactly 1
check_eq "... then lists every token" "$(cat "$TMP/direct")" "$(cat "$TMP/hung")"
check_true "hangs.log: ended by its time" grep -qx "end C_GetTokenInfo $HANG timeout" "$FAULT/hangs.log"

echo "C_GetTokenInfo 20" >"$FAULT/$HANG.hang"
mark_hangs C_GetTokenInfo "$HANG"
t0=$(now_ms)
tokens p11 >"$TMP/hung" &
BG_PID=$!
await_hangs 1 ||
	echo "# the hang never started"
rm "$FAULT/$HANG.hang"
wait "$BG_PID"
BG_PID=
t1=$(now_ms)
check_true "deleting the hang file cuts a 20 s hang short (hangs.log: cut, after $((t1 - t0)) ms)" \
	grep -qx "end C_GetTokenInfo $HANG cut" "$FAULT/hangs.log"
check_eq "... and the listing completes" "$(cat "$TMP/direct")" "$(cat "$TMP/hung")"

echo "C_Initialize 0.5" >"$FAULT/module.hang"
t0=$(now_ms)
p11 -L >/dev/null
t1=$(now_ms)
rm "$FAULT/module.hang"
check_true "module.hang: C_Initialize hangs 0.5 s ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 500

# --------------------------------------------------------------- removal
touch "$FAULT/$GONE.removed"
check_eq "removed token: gone from pkcs11-tool -L" \
	"$(grep -v "$GONE" "$TMP/direct")" "$(tokens p11)"
check_true "... its slot shows as empty" grep -q "(empty)" <(p11 -L)
check_eq "... SoftHSM2 itself still has it" "$(cat "$TMP/direct")" "$(tokens hsm)"
gone_slot=$(hsm -L | awk -v s="$GONE" '/^Slot /{id=$3; gsub(/[():]/, "", id)} /serial num/{if ($NF == s) print id}')
rc=0
p11 --slot "$gone_slot" -O >"$TMP/gone.out" 2>&1 || rc=$?
check_eq "... a session on its slot: CKR_TOKEN_NOT_PRESENT" "1 CKR_TOKEN_NOT_PRESENT" \
	"$rc $(grep -o 'CKR_[A-Z_]*' "$TMP/gone.out" | head -n 1)"
rm "$FAULT/$GONE.removed"
check_eq "reinserted: listed again" "$(cat "$TMP/direct")" "$(tokens p11)"

# Removed mid-call: pkcs11-tool -O hangs in C_FindObjectsInit, the token goes.
echo "C_FindObjectsInit 3" >"$FAULT/$MID.hang"
mark_hangs C_FindObjectsInit "$MID"
t0=$(now_ms)
p11 --token-label "Van phong UBND" -O >"$TMP/mid.out" 2>"$TMP/mid.err" &
BG_PID=$!
check_true "C_FindObjectsInit hang started" await_hangs 1
touch "$FAULT/$MID.removed"
rc=0
wait "$BG_PID" || rc=$?
BG_PID=
t1=$(now_ms)
check_eq "removed mid-call: pkcs11-tool fails with CKR_DEVICE_REMOVED" "1 CKR_DEVICE_REMOVED" \
	"$rc $(grep -o 'CKR_[A-Z_]*' "$TMP/mid.err" | head -n 1)"
check_lacks "... and lists no object" "Object" "$(cat "$TMP/mid.out")"
check_true "hangs.log: ended by the removal, not by its time ($((t1 - t0)) ms)" \
	grep -qx "end C_FindObjectsInit $MID removed" "$FAULT/hangs.log"
rm "$FAULT/$MID.removed" "$FAULT/$MID.hang"
check_true "reinserted: objects listed again" \
	grep -q "Certificate Object" <(p11 --token-label "Van phong UBND" -O 2>&1)

# Other calls hang too: C_OpenSession ...
echo "C_OpenSession 0.3" >"$FAULT/$HANG.hang"
t0=$(now_ms)
p11 --token-label "Nguyen Thi Huong" -O >/dev/null
t1=$(now_ms)
rm "$FAULT/$HANG.hang"
check_true "C_OpenSession hang of 0.3 s ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 300

# ... and C_Login, here cut by the token's removal: no try is counted.
echo 3 >"$FAULT/$LOCK.max-tries"
echo "C_Login 10" >"$FAULT/$LOCK.hang"
mark_hangs C_Login "$LOCK"
p11_pin --token-label "$LOCK_LABEL" --login --pin 5678 -O >"$TMP/login.out" 2>&1 &
BG_PID=$!
check_true "C_Login hang started" await_hangs 1
touch "$FAULT/$LOCK.removed"
rc=0
wait "$BG_PID" || rc=$?
BG_PID=
check_eq "token removed during C_Login: CKR_DEVICE_REMOVED" "1 CKR_DEVICE_REMOVED" \
	"$rc $(grep -o 'CKR_[A-Z_]*' "$TMP/login.out" | head -n 1)"
check_eq "calls.log: that login" "C_Login $LOCK CKR_DEVICE_REMOVED USER fault" \
	"$(tail -n 1 "$FAULT/calls.log")"
check_true "no wrong try counted" test ! -s "$FAULT/$LOCK.wrong-tries" -o "$(cat "$FAULT/$LOCK.wrong-tries" 2>/dev/null)" = 0
rm "$FAULT/$LOCK.removed" "$FAULT/$LOCK.hang"
check_eq "reinserted: login works" "0 " "$(login 5678)"
check_eq "calls.log holds no PIN, still" "" "$(grep -Ew '1234|4321|5678|12345678' "$FAULT/calls.log" || true)"

echo "1..$_tests"
[ "$_failed" -eq 0 ]
