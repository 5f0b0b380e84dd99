#!/usr/bin/env bash
# The user PIN through the real daemon on SoftHSM2: state, change, a PIN the
# token could never accept refused before it costs a try, and no PIN
# anywhere in the log, the registry or the events. (The pace of tries and
# their record: pin-pace.sh.)
. "$(dirname "$0")/lib.sh"


make_tokens
start_khoad

duc=$(token_serial "Tran Van Duc")
call io.khoa.Pin.Status "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "PIN state ok" ok "$(jq -r '.tokens[0].state' "$TMP/out")"
check_eq "PIN length limits from the token" "4 255" "$(jq -r '.tokens[0] | "\(.min_length) \(.max_length)"' "$TMP/out")"
call io.khoa.Pin.Status >"$TMP/out"
check_eq "every token's PIN state" 5 "$(jq '.tokens | length' "$TMP/out")"

call io.khoa.Pin.Change "{\"serial\":\"$duc\",\"old_pin\":\"Wr0ng#739\",\"new_pin\":\"N3w-Kh0a!24\"}" >"$TMP/out" || true
check_eq "a wrong PIN" io.khoa.PinIncorrect "$(jq -r .error "$TMP/out")"
call io.khoa.Pin.Status "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "tries low after a wrong PIN (SoftHSM2 sets COUNT_LOW)" count_low "$(jq -r '.tokens[0].state' "$TMP/out")"
call io.khoa.Pin.Change "{\"serial\":\"$duc\",\"old_pin\":\"1234\",\"new_pin\":\"Đức1\"}" >"$TMP/out" || true
check_eq "a PIN typed with a Vietnamese input method is refused" io.khoa.PinInvalid "$(jq -r .error "$TMP/out")"
call io.khoa.Pin.Change "{\"serial\":\"$duc\",\"old_pin\":\"12\",\"new_pin\":\"N3w-Kh0a!24\"}" >"$TMP/out" || true
check_eq "a PIN shorter than the token allows is refused" io.khoa.PinInvalid "$(jq -r .error "$TMP/out")"
call io.khoa.Pin.Status "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "refused PINs cost no try (still count low, not worse)" count_low "$(jq -r '.tokens[0].state' "$TMP/out")"

# (after the wrong PIN above, once its delay has run out: tests/integration/pin-pace.sh)
past_try_later call io.khoa.Pin.Change "{\"serial\":\"$duc\",\"old_pin\":\"1234\",\"new_pin\":\"N3w-Kh0a!24\"}"
check_eq "the PIN changed" "{}" "$(jq -c . "$TMP/out")"
p11 --token-label "Tran Van Duc" --login --pin N3w-Kh0a!24 -O >/dev/null && ok "pkcs11-tool logs in with the new PIN" ||
	not_ok "pkcs11-tool logs in with the new PIN"
p11 --token-label "Tran Van Duc" --login --pin 1234 -O >/dev/null 2>&1 && not_ok "the old PIN no longer works" ||
	ok "the old PIN no longer works"
call io.khoa.Tokens.History "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "the change is in the history, with who" "$(id -un)" \
	"$(jq -r '.events[] | select(.type == "pin.changed") | .actor.user' "$TMP/out")"
check_status "a token not present" 1 python3 "$SOURCE_ROOT/tests/integration/call.py" "$SOCK" \
	io.khoa.Pin.Change '{"serial":"0000000000000000","old_pin":"1234","new_pin":"N3w-Kh0a!24"}'

# Every PIN used above, searched for everywhere khoad writes.
# (the events as a watcher gets them, up to the change of PIN)
await_event pin.changed >"$TMP/events" || true
check_contains "the events were read" '"pin.changed"' "$(cat "$TMP/events")"
stop_khoad
dump_registry
# (PINs a hex serial or fingerprint in the registry cannot contain by chance)
for pin in Wr0ng#739 N3w-Kh0a!24 Đức1; do
	found=$(grep -rlF --binary-files=text -- "$pin" "$TMP/khoad.log" "$TMP/state" "$TMP/events" 2>/dev/null || true)
	check_eq "PIN $pin is in no log, registry file or event" "" "$found"
done

done_testing
