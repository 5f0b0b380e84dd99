#!/usr/bin/env bash
# PIN tries paced, through the real daemon on SoftHSM2 tokens, which never
# lock: after a wrong PIN the token's next try waits 1 s, then 2 s, 4 s …,
# and a call before then is answered io.khoa.TryLater at no cost to the
# token; a right PIN resets the delay; the SO PIN of a reset is paced on
# its own count. tests/fault's module sits in front of SoftHSM2 without
# any fault switched on, for its calls.log: the witness of every C_Login
# the token saw. Calls that must follow at once go back to back on one connection
# (calls.py), and the tests only ever wait for what khoad says: a loaded
# machine makes them slower, not wrong.
. "$(dirname "$0")/lib.sh"

make_tokens
export KHOA_FAULT_DIR=$TMP/faults
mkdir -p "$KHOA_FAULT_DIR"

SOFTHSM2_MODULE=$FAULT_MODULE start_khoad

calls() { python3 "$SOURCE_ROOT/tests/integration/calls.py" "$SOCK" "$@"; }
change() { printf '{"serial":"%s","old_pin":"%s","new_pin":"%s"}' "$1" "$2" "$3"; }
# reply N: the N-th answer of the last calls.py run (line 1 is its pid)
reply() { sed -n "$(($1 + 1))p" "$TMP/calls"; }
# logins SERIAL [WHO]: the C_Logins the token saw
logins() { grep -c "^C_Login $1 [A-Z_]* ${2:-USER} " "$KHOA_FAULT_DIR/calls.log" || true; }
between() { [ "$2" -ge "$1" ] && [ "$2" -le "$3" ] && echo yes || echo "no: $2"; }

duc=$(token_serial "Tran Van Duc")

# ----- a wrong PIN, and at once another
calls io.khoa.Pin.Change "$(change "$duc" Sai#9 N3w-Kh0a!24)" \
	io.khoa.Pin.Change "$(change "$duc" Sai#8 N3w-Kh0a!24)" >"$TMP/calls"
check_eq "a wrong PIN" io.khoa.PinIncorrect "$(reply 1 | jq -r .error)"
check_eq "the next one at once: try later" io.khoa.TryLater "$(reply 2 | jq -r .error)"
check_eq "  for this token" "$duc" "$(reply 2 | jq -r .parameters.serial)"
check_eq "  in a second or two" yes "$(between 1 "$(reply 2 | jq .parameters.seconds)" 2)"
check_eq "the refused PIN never reached the token" 1 "$(logins "$duc")"

# ----- once the delay has run out the next is tried; the one after it waits 2 s
calls --wait io.khoa.Pin.Change "$(change "$duc" Sai#8 N3w-Kh0a!24)" \
	io.khoa.Pin.Change "$(change "$duc" Sai#7 N3w-Kh0a!24)" >"$TMP/calls"
check_eq "after the delay a wrong PIN is tried" io.khoa.PinIncorrect "$(reply 1 | jq -r .error)"
check_eq "the next one at once: try later" io.khoa.TryLater "$(reply 2 | jq -r .error)"
check_eq "  in about 2 seconds (the delay doubled)" yes \
	"$(between 1 "$(reply 2 | jq .parameters.seconds)" 2)"
check_eq "the token saw two tries" 2 "$(logins "$duc")"

# ----- a right PIN resets the delay
calls --wait io.khoa.Pin.Change "$(change "$duc" 1234 N3w-Kh0a!24)" \
	io.khoa.Pin.Change "$(change "$duc" Sai#6 Kh0a-2468)" >"$TMP/calls"
check_eq "the right PIN, once the delay has run out" "{}" "$(reply 1)"
check_eq "then at once a wrong one is tried: no delay left" io.khoa.PinIncorrect \
	"$(reply 2 | jq -r .error)"
check_eq "the token saw four tries" 4 "$(logins "$duc")"

# ----- the SO PIN of a reset: paced on its own count
huong=$(token_serial "Nguyen Thi Huong")
call io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
id=$(jq .request.id "$TMP/out")
for step in Confirm Submit Forward; do
	call "io.khoa.PinRequests.$step" "{\"id\":$id}" >/dev/null
done
complete() { printf '{"id":%s,"so_pin":"%s","new_pin":"%s"}' "$id" "$1" "$2"; }
calls io.khoa.PinRequests.Complete "$(complete 87654321 Moi-5678)" \
	io.khoa.PinRequests.Complete "$(complete 87654320 Moi-5678)" \
	io.khoa.Pin.Change "$(change "$huong" 1234 Moi-2468)" >"$TMP/calls"
check_eq "a wrong SO PIN" io.khoa.PinIncorrect "$(reply 1 | jq -r .error)"
check_eq "the next SO PIN at once: try later" io.khoa.TryLater "$(reply 2 | jq -r .error)"
check_eq "the holder's PIN is not held up by it" "{}" "$(reply 3)"
check_eq "the token saw one SO login" 1 "$(logins "$huong" SO)"
calls --wait io.khoa.PinRequests.Complete "$(complete 12345678 Moi-5678)" >"$TMP/calls"
check_eq "the right SO PIN once the delay has run out: completed" completed \
	"$(reply 1 | jq -r .request.state)"
check_eq "the token saw two SO logins" 2 "$(logins "$huong" SO)"

# ----- khoa says it, in English and in Vietnamese (a 4 s delay: time for both)
vy=$(token_serial "Le Quang Vy")
calls io.khoa.Pin.Change "$(change "$vy" Sai#1 Moi-2468)" >"$TMP/calls"
calls --wait io.khoa.Pin.Change "$(change "$vy" Sai#2 Moi-2468)" >"$TMP/calls"
calls --wait io.khoa.Pin.Change "$(change "$vy" Sai#3 Moi-2468)" >"$TMP/calls"
check_eq "three wrong PINs, each after its delay" io.khoa.PinIncorrect "$(reply 1 | jq -r .error)"
check_status "khoa pin change at once" 1 khoa pin change "$vy" --pin-fd 3 3< <(printf 'Sai#4\nMoi-2468\n')
check_contains "  says when the token takes a PIN again" "token $vy accepts its next PIN try in" \
	"$(cat "$TMP/err")"
check_status "  in Vietnamese too" 1 env LANGUAGE=vi LANG=vi_VN.UTF-8 "$KHOA" --socket "$SOCK" \
	pin change "$vy" --pin-fd 3 3< <(printf 'Sai#4\nMoi-2468\n')
check_contains "  (Vietnamese)" "thiết bị $vy chỉ nhận lần nhập mã PIN tiếp theo sau" "$(cat "$TMP/err")"
check_eq "neither reached the token" 3 "$(logins "$vy")"

done_testing
