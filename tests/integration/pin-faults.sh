#!/usr/bin/env bash
# What real tokens do and SoftHSM2 does not, through tests/fault's module:
# a PIN that locks after 3 wrong tries (the last try never spent by
# accident), a token that hangs (khoad keeps answering; the call times out
# with a typed error; the token stays busy), a token pulled out mid-call.
. "$(dirname "$0")/lib.sh"

err_of() { call "$@" >"$TMP/out" 2>&1 || true; jq -r '.error // "none"' "$TMP/out"; }
# the same once the token takes a PIN again: after a wrong one khoad paces
# the next (io.khoa.TryLater until its delay has run out; pin-pace.sh)
err_paced() { past_try_later call "$@"; jq -r '.error // "none"' "$TMP/out"; }
state_of() { call io.khoa.Pin.Status "{\"serial\":\"$1\"}" | jq -r '.tokens[0].state'; }
change() { printf '{"serial":"%s","old_pin":"%s","new_pin":"%s"%s}' "$1" "$2" "$3" "${4:+,\"final_try\":true}"; }

make_tokens
export KHOA_FAULT_DIR=$TMP/faults
mkdir -p "$KHOA_FAULT_DIR"
SOFTHSM2_MODULE=$FAULT_MODULE start_khoad --rescan-timeout 2

duc=$(token_serial "Tran Van Duc")
echo 3 >"$KHOA_FAULT_DIR/$duc.max-tries"

check_eq "wrong PIN once" io.khoa.PinIncorrect "$(err_of io.khoa.Pin.Change "$(change "$duc" 1111 2468)")"
check_eq "then: tries low" count_low "$(state_of "$duc")"
check_eq "wrong PIN twice" io.khoa.PinIncorrect "$(err_paced io.khoa.Pin.Change "$(change "$duc" 2222 2468)")"
check_eq "the error says one try is left" true "$(jq -r .parameters.final_try "$TMP/out")"
check_eq "then: final try" final_try "$(state_of "$duc")"
check_eq "the last try is not spent without asking" io.khoa.FinalTry \
	"$(err_of io.khoa.Pin.Change "$(change "$duc" 3333 2468)")"
check_eq "refusing spent nothing" 2 "$(cat "$KHOA_FAULT_DIR/$duc.wrong-tries")"
check_eq "spent when asked: wrong again" io.khoa.PinIncorrect \
	"$(err_paced io.khoa.Pin.Change "$(change "$duc" 3333 2468 yes)")"
check_eq "the error says the token is now locked" true "$(jq -r .parameters.locked "$TMP/out")"
check_eq "then: locked" locked "$(state_of "$duc")"
check_eq "a locked token is not even tried, the right PIN neither" io.khoa.PinLocked \
	"$(err_of io.khoa.Pin.Change "$(change "$duc" 1234 2468)")"
call io.khoa.Tokens.History "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "the history shows the PIN state going down" "true true true" \
	"$(jq -r '[.events[] | select(.type == "token.pin_changed") | .details.flags] |
		"\(.[0].user_pin_count_low) \(.[1].user_pin_final_try) \(.[2].user_pin_locked)"' "$TMP/out")"

# Three wrong PINs, the third sent back to back with the second (which waits
# out the first one's delay, on the same connection): the third must meet
# the final-try guard, not the token (the guard may not wait for the next
# scan, nor for the delay after the second).
le=$(token_serial "Le Quang Vy")
echo 3 >"$KHOA_FAULT_DIR/$le.max-tries"
calls() { python3 "$SOURCE_ROOT/tests/integration/calls.py" "$SOCK" "$@"; }
{
	calls io.khoa.Pin.Change "$(change "$le" 1111 2468)"
	calls --wait io.khoa.Pin.Change "$(change "$le" 2222 2468)" \
		io.khoa.Pin.Change "$(change "$le" 3333 2468)"
} | jq -r '.error // empty' >"$TMP/burst"
check_eq "three quick wrong PINs: the third is refused, not tried" \
	"io.khoa.PinIncorrect io.khoa.PinIncorrect io.khoa.FinalTry" "$(tr '\n' ' ' <"$TMP/burst" | sed 's/ $//')"
check_eq "so the token is not locked" 2 "$(cat "$KHOA_FAULT_DIR/$le.wrong-tries")"

# A token that hangs in C_Login: the caller gets io.khoa.Timeout after the
# timeout, others are answered meanwhile, and the token is busy until it
# comes back. It hangs until it is pulled out below, so each of these
# happens while it hangs, however slow the machine. (How fast the others
# are answered meanwhile is measured by bench/hang.sh.)
huong=$(token_serial "Nguyen Thi Huong")
echo "C_Login 300" >"$KHOA_FAULT_DIR/$huong.hang"
hangs_log=$KHOA_FAULT_DIR/hangs.log
start=$(date +%s%N)
call io.khoa.Pin.Change "$(change "$huong" 1234 2468)" >"$TMP/hung" 2>&1 &
hung=$!
wait_for_line "$hangs_log" "^start C_Login $huong\$"
check_eq "while it hangs, others are answered" 5 "$(call io.khoa.Tokens.List | jq '.tokens | length')"
check_eq "a second operation on it: busy" io.khoa.TokenBusy "$(err_of io.khoa.Pin.Change "$(change "$huong" 1234 2468)")"
wait "$hung" || true
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check_eq "the hung call times out with a typed error" io.khoa.Timeout "$(jq -r .error "$TMP/hung")"
check_eq "after the timeout (2 s)" yes "$([ "$elapsed" -ge 1900 ] && echo yes || echo "no: $elapsed ms")"
check_eq "the token still hangs: all of it happened meanwhile" "" "$(grep "^end C_Login $huong" "$hangs_log" || true)"

# Pulled out while it hangs: the token comes back with "removed".
touch "$KHOA_FAULT_DIR/$huong.removed"
wait_for_line "$hangs_log" "^end C_Login $huong removed\$" && ok "its hang ends with the removal" ||
	not_ok "its hang ends with the removal"
rm -f "$KHOA_FAULT_DIR/$huong.hang"
gone() { [ "$(err_of io.khoa.Pin.Change "$(change "$huong" 1234 2468)")" = io.khoa.NoSuchToken ]; }
wait_until gone || true
check_eq "once it is gone, the token is no longer present" io.khoa.NoSuchToken "$(jq -r .error "$TMP/out")"
call io.khoa.Tokens.Rescan >/dev/null
check_eq "and a rescan no longer lists it" "" "$(call io.khoa.Tokens.List | jq -r ".tokens[] | select(.serial == \"$huong\") | .serial")"
check_eq "no PIN in the fault module's call log" "" "$(grep -wE '1111|2222|3333|2468' "$KHOA_FAULT_DIR/calls.log" || true)"

done_testing
