#!/usr/bin/env bash
# The PIN as a token's holder, a clerk, Sở TT&TT and a technician see it,
# through the real khoa client and the real daemon on the fault module (a
# PIN that locks after 3 wrong tries): the state, a change that never spends
# the last try by accident, the lockout, the PIN-recovery request (Mẫu 09)
# from filing to the reset with the SO PIN, and khoa tray's notices. No PIN
# is ever on a command line, and none ends up in khoad's log, its state or
# its events.
. "$(dirname "$0")/lib.sh"

make_tokens
export KHOA_FAULT_DIR=$TMP/faults
mkdir -p "$KHOA_FAULT_DIR"

# The steps of a request are taken by different people (four eyes,
# R-RENEW-APPROVE): the clerk, a technician and an admin are other users
# (as_roles, lib.sh). Without root to become them only the filing is tried.
ROLES=
if can_switch_user; then
	as_roles
	ROLES=yes
fi

SOFTHSM2_MODULE=$FAULT_MODULE start_khoad --rescan-timeout 5

# pkcs11-tool on the fault module; an AddressSanitizer build of the module
# needs the ASan runtime preloaded, and pkcs11-tool leaks a little.
P11_ENV=()
if readelf -d "$FAULT_MODULE" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
	P11_ENV=("LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so)"
		"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
fi
p11f() { env "${P11_ENV[@]}" pkcs11-tool --module "$FAULT_MODULE" "$@" 2>/dev/null; }

out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }
pin_state() { khoa --json pin status "$1" | jq -r '.tokens[0].state'; }
# khoad answers a PIN call, then reads the token's flags again: the state
# the call left shows a moment later.
is_state() { [ "$(pin_state "$1")" = "$2" ]; }
wait_state() {
	wait_until is_state "$1" "$2" || true
	pin_state "$1"
}

duc=$(token_serial "Tran Van Duc")
echo 3 >"$KHOA_FAULT_DIR/$duc.max-tries"

# pin_change SERIAL OLD NEW [OPTION...]: khoa pin change, the PINs on --pin-fd.
pin_change() {
	local serial=$1 old=$2 new=$3
	shift 3
	khoa pin change "$serial" "$@" --pin-fd 3 3< <(printf '%s\n%s\n' "$old" "$new")
}
# check_status_paced DESCRIPTION STATUS COMMAND...: check_status once the
# token takes a PIN again. After a wrong PIN khoad paces the token's next
# (io.khoa.TryLater, which khoa says as "accepts its next PIN try in N
# seconds"; pin-pace.sh): COMMAND runs again while that is its answer.
check_status_paced() {
	local desc=$1 want=$2
	shift 2
	wait_until _past_try_later "$@" || true
	check_eq "$desc (exit status)" "$want" "$_status"
}
_past_try_later() {
	_status=0
	"$@" >"$TMP/out" 2>"$TMP/err" || _status=$?
	! grep -q "accepts its next PIN try" "$TMP/err"
}

# ----- state and change
check_status "pin status" 0 khoa pin status
check_contains "pin status: the token, ok" "ok" "$(grep "^$duc" "$TMP/out")"
check_contains "pin status: the PIN length" "4–255" "$(grep "^$duc" "$TMP/out")"
check_status "pin change without a serial among several tokens" 64 \
	khoa pin change --pin-fd 3 3< <(printf 'Sai-9173\nMoi-2468\n')
check_contains "it lists them" "$duc" "$(err)"
check_status "a PIN on the command line is refused" 64 khoa pin change "$duc" 1234
check_contains "and not repeated" "never given on the command line" "$(err)"
check_eq "the PIN given is not echoed" "" "$(grep -F 1234 "$TMP/err" || true)"
check_status "--pin-fd that is not open" 64 khoa pin change "$duc" --pin-fd 9

office=$(token_serial "Van phong UBND")
check_status "a new PIN typed with a Vietnamese input method" 1 \
	khoa pin change "$office" --pin-fd 3 3< <(printf '1234\nĐức1\n')
check_contains "  refused before it is sent" "is a Vietnamese input method on?" "$(err)"
check_status "a new PIN too short for the token" 1 khoa pin change "$office" --pin-fd 3 3< <(printf '1234\n12\n')
check_contains "  says the token's limits" "takes a PIN of 4 to 255 characters" "$(err)"
check_eq "  neither cost a try" ok "$(pin_state "$office")"
check_status "a PIN read from --pin-fd" 0 khoa pin change "$office" --pin-fd 3 3< <(printf '1234\nMoi-2468\n')
check_contains "  changed" "The PIN of token $office is changed." "$(out)"
if p11f --token-label "Van phong UBND" --login --pin Moi-2468 -O >/dev/null; then
	ok "pkcs11-tool logs in with it"
else
	not_ok "pkcs11-tool logs in with it"
fi
check_status "no PIN on --pin-fd" 1 khoa pin change "$office" --pin-fd 3 3</dev/null
check_contains "  says so" "no PIN was given" "$(err)"
check_status "no terminal and no --pin-fd" 1 setsid -w "$KHOA" --socket "$SOCK" pin change "$office"
check_contains "  says to use --pin-fd" "--pin-fd N" "$(err)"

check_status "wrong PIN once" 1 khoa pin change "$duc" --pin-fd 3 3< <(printf 'Sai-9173\nMoi-2468\n')
check_contains "wrong PIN: said" "wrong PIN for token $duc" "$(err)"
check_eq "then: tries low" count_low "$(wait_state "$duc" count_low)"
check_status_paced "wrong PIN twice" 1 pin_change "$duc" Sai-9174 Moi-2468
check_contains "the error says one try is left" "One try is left" "$(err)"
check_eq "then: final try" final_try "$(wait_state "$duc" final_try)"
check_status "pin status at the final try" 0 khoa pin status "$duc"
check_contains "pin status: final try" "final try — one try left" "$(out)"
check_contains "pin status: the recovery hint" "khoa pin-request new $duc" "$(out)"
check_status "the last try is not spent without --final-try" 1 \
	khoa pin change "$duc" --pin-fd 3 3< <(printf 'Sai-9175\nMoi-2468\n')
check_contains "refused up front, saying why" "run again with --final-try" "$(err)"
check_eq "refusing spent nothing" 2 "$(cat "$KHOA_FAULT_DIR/$duc.wrong-tries")"
check_status_paced "with --final-try, wrong again" 1 pin_change "$duc" Sai-9175 Moi-2468 --final-try
check_contains "the error says it is now locked" "now locked" "$(err)"
check_eq "then: locked" locked "$(wait_state "$duc" locked)"
check_status "pin status when locked" 0 khoa pin status
check_contains "pin status: LOCKED" "LOCKED" "$(grep "^$duc" "$TMP/out")"
check_contains "pin status: the hint" \
	"To recover a locked PIN, file a request: khoa pin-request new $duc" "$(out)"
check_status "a locked token is not even tried" 1 \
	khoa pin change "$duc" --final-try --pin-fd 3 3< <(printf '1234\nMoi-2468\n')
check_contains "it says it is locked" "is locked" "$(err)"
check_status "in Vietnamese too" 0 env LANGUAGE=vi LANG=vi_VN.UTF-8 "$KHOA" --socket "$SOCK" pin status "$duc"
check_contains "pin status in Vietnamese" "ĐÃ KHÓA" "$(out)"
check_contains "the hint in Vietnamese" "Để khôi phục PIN bị khóa, hãy lập yêu cầu" "$(out)"

# ----- the PIN-recovery request (Mẫu 09)

check_status "pin-request new" 0 khoa pin-request new "$duc" --reason "quên mật khẩu" --sex Nam \
	--manager-phone "0227 3831 234"
check_contains "the subscriber's name in capitals" "TRẦN VĂN ĐỨC" "$(out)"
check_contains "the token's serial" "$duc" "$(out)"
check_contains "the reason" "quên mật khẩu" "$(out)"
check_contains "the certificate's validity as dd/mm/yyyy" "$(date -u +%d/%m/%Y)" "$(out)"
check_contains "what is still missing" "Missing: " "$(out)"
check_contains "  e.g. the place of birth" "Place of birth" "$(grep '^Missing' "$TMP/out" || true)"
check_eq "  not what was given" "" "$(grep '^Missing' "$TMP/out" | grep -E 'Sex|manager' || true)"
check_contains "what comes next" "khoa pin-request confirm 1" "$(out)"
if [ -n "$ROLES" ]; then
	check_status "the clerk confirms" 0 khoa_as clerk pin-request confirm 1 \
		--note "đúng người, đúng thiết bị"
	check_contains "confirmed" "is now confirmed" "$(out)"
	check_status "but may not submit" 1 khoa_as clerk pin-request submit 1
	check_contains "  the role needed, by its name" "this needs the role technician of Sở TT&TT" "$(err)"
	LANGUAGE=vi check_status "  in Vietnamese" 1 khoa_as clerk pin-request submit 1
	check_contains "  the role's Vietnamese name, not its code (issue 17)" \
		"việc này cần vai trò kỹ thuật viên của Sở TT&TT" "$(err)"
	check_status "a step out of order" 1 khoa pin-request forward 1
	check_contains "  says the state" "is confirmed; forward is not possible" "$(err)"
	check_status "reject needs a note" 64 khoa pin-request reject 1
	check_status "submit (a technician)" 0 khoa_as technician pin-request submit 1
	check_status "complete before it is forwarded" 1 khoa pin-request complete 1 --pin-fd 3 \
		3< <(printf '12345678\nMoi-5678\n')
	check_contains "  refused before any PIN is sent" "forwarded to the CA" "$(err)"
	check_status "root, who filed it, may not forward it" 1 khoa pin-request forward 1
	check_contains "  four eyes, in the client's words" \
		"whoever filed it neither confirms nor forwards it (R-RENEW-APPROVE)" "$(err)"
	check_status "forward (an admin)" 0 khoa_as admin pin-request forward 1
	check_status "a PIN on the command line of complete" 64 khoa pin-request complete 1 12345678
	complete_with() { khoa pin-request complete 1 --pin-fd 3 3< <(printf '%s\nMoi-5678\n' "$1"); }
	check_status "complete with a wrong SO PIN" 1 complete_with 87654321
	check_contains "  says it is the SO PIN that is wrong (issue 17)" "wrong SO PIN for token $duc" "$(err)"
	check_contains "  and the token's history says what the wrong SO PIN did" \
		"SO PIN tries low." "$(khoa --width 0 history "$duc")"
	check_status_paced "complete with the SO PIN (root: no approval, the filer may)" 0 \
		complete_with 12345678
	check_contains "completed" "is now completed" "$(out)"
	if p11f --token-label "Tran Van Duc" --login --pin Moi-5678 -O >/dev/null; then
		ok "pkcs11-tool logs in with the new PIN"
	else
		not_ok "pkcs11-tool logs in with the new PIN"
	fi
	check_contains "pin status: ok again" "ok" \
		"$(wait_state "$duc" ok >/dev/null; khoa pin status "$duc" | grep "^$duc")"
	check_status "pin-request show" 0 khoa pin-request show 1
	check_contains "show: the history, step by step" "forwarded → completed" "$(out)"
	check_contains "show: who confirmed, with the note" "đúng người, đúng thiết bị" \
		"$(grep -F 'confirmed' "$TMP/out" || true)"
	check_status "pin-request list" 0 khoa pin-request list --state completed
	check_contains "list: the request" "TRẦN VĂN ĐỨC" "$(out)"
else
	echo "ok - the steps of the request # SKIP needs root and setpriv: four eyes need several people"
	_tests=$((_tests + 1))
fi
check_status "pin-request count" 0 khoa pin-request count --year "$(date -u +%Y)"
check_contains "count: Mẫu 07, row 7" "PIN-recovery requests filed in $(date -u +%Y): 1" "$(out)"
check_status "show of an unknown request" 1 khoa pin-request show 42
check_contains "  says which" "no request with ID 42" "$(err)"

# ----- khoa tray
huong=$(token_serial "Nguyen Thi Huong")
echo 3 >"$KHOA_FAULT_DIR/$huong.max-tries"
"$KHOA" --socket "$SOCK" tray --no-notify --serial "$huong" >"$TMP/tray" 2>"$TMP/tray.err" &
tray=$!
# khoa tray takes a cursor (io.khoa.Events.Last) before it reads the PIN
# states, then watches "since" it, so nothing that happens after its reading
# is lost; it says "Watching" once it has asked for the stream.
wait_for_line "$TMP/tray.err" Watching
check_contains "khoa tray watches" "Watching" "$(cat "$TMP/tray.err")"
p11f --token-label "Nguyen Thi Huong" --login --pin Sai-9176 -O >/dev/null || true
khoa rescan >/dev/null
wait_for_line "$TMP/tray" "few tries" || true
check_contains "khoa tray: a notice when the PIN runs low" \
	"A wrong PIN was typed for token $huong (Nguyen Thi Huong)" "$(cat "$TMP/tray")"
check_eq "one line per notice" 1 "$(wc -l <"$TMP/tray")"
p11f --token-label "Tran Van Duc" --login --pin Sai-9177 -O >/dev/null || true
khoa rescan >/dev/null
# Then a notice it does give: the events come in order, so once it shows,
# whatever the tray made of the other token's is shown too.
p11f --token-label "Nguyen Thi Huong" --login --pin Sai-9178 -O >/dev/null || true
khoa rescan >/dev/null
wait_for_line "$TMP/tray" "one PIN try left" || true
check_contains "khoa tray: a notice at the final try" \
	"Token $huong (Nguyen Thi Huong) has one PIN try left" "$(cat "$TMP/tray")"
check_eq "nothing about a token it does not watch" "" "$(grep "$duc" "$TMP/tray" || true)"
kill "$tray"
rc=0
wait "$tray" || rc=$?
check_eq "khoa tray ends cleanly on SIGTERM" 0 "$rc"

# ----- khoa tray in a desktop session with no notification service: it
# loads libsystemd (khoa does not link it), asks the session bus to show the
# notice (dbus-monitor sees the call), and prints it since nobody can. The
# token is at its final try already: a tray that starts says so at once.
if command -v dbus-daemon >/dev/null && command -v dbus-monitor >/dev/null &&
	dbus-daemon --session --fork --print-address=1 --print-pid=1 >"$TMP/bus.env" 2>/dev/null; then
	bus=$(sed -n 1p "$TMP/bus.env")
	DBUS_SESSION_BUS_ADDRESS=$bus dbus-monitor --session \
		"interface=org.freedesktop.Notifications" >"$TMP/bus" 2>/dev/null &
	monitor=$!
	# a monitor from its NameLost on: it sees every call after that
	wait_for_line "$TMP/bus" NameLost || true
	DBUS_SESSION_BUS_ADDRESS=$bus "$KHOA" --socket "$SOCK" tray --serial "$huong" \
		>"$TMP/tray2" 2>"$TMP/tray2.err" &
	tray=$!
	wait_for_line "$TMP/tray2" "one PIN try left" || true
	kill "$tray" "$monitor" "$(sed -n 2p "$TMP/bus.env")" 2>/dev/null || true
	wait "$tray" "$monitor" 2>/dev/null || true
	check_contains "khoa tray asks the desktop to show a notice" \
		"interface=org.freedesktop.Notifications; member=Notify" "$(cat "$TMP/bus")"
	check_contains "  with its text" "has one PIN try left" "$(cat "$TMP/bus")"
	check_contains "  and prints it, no one being there to show it" \
		"Token $huong (Nguyen Thi Huong) has one PIN try left" "$(cat "$TMP/tray2")"
else
	ok "khoa tray on a session bus # SKIP no dbus-daemon or dbus-monitor"
fi

# ----- no PIN anywhere (whole words: the fixture's CCCD 034123456789
# holds 12345678; and no PIN of digits alone that a pid in the log or the
# events could be)
# (every event, read up to the newest: Hường's final try above)
last=$(call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" | jq '.events[-1].id')
khoa --json watch --since 0 >"$TMP/events" 2>/dev/null &
watcher=$!
wait_for_line "$TMP/events" "^{\"id\":$last," || true
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
check_eq "the events were read, up to the newest" "$last" "$(tail -n 1 "$TMP/events" | jq .id)"
stop_khoad
dump_registry
for pin in Sai-9173 Sai-9174 Sai-9175 Sai-9176 Sai-9177 Sai-9178 Moi-2468 12345678 Moi-5678; do
	found=$(grep -rlw --binary-files=text -F -- "$pin" "$TMP/khoad.log" "$TMP/state" "$TMP/events" "$TMP/tray" "$TMP/bus" 2>/dev/null || true)
	check_eq "PIN $pin is in no log, registry file or event" "" "$found"
done

done_testing
