#!/usr/bin/env bash
# PIN tries paced and attributed, through the real daemon on SoftHSM2
# tokens, which never lock: after a wrong PIN the token's next try waits
# 1 s, then 2 s, 4 s …, and a call before then is answered io.khoa.TryLater
# at no cost to the token; a right PIN resets the delay. Every try that
# reached the token is a pin.tried event and a line of khoad's log naming
# the caller (uid, login, pid); the SO PIN of a reset is paced on its own
# count. tests/fault's module sits in front of SoftHSM2 without any fault
# switched on, for its calls.log: the witness of every C_Login the token
# saw. Calls that must follow at once go back to back on one connection
# (calls.py), and the tests only ever wait for what khoad says: a loaded
# machine makes them slower, not wrong.
. "$(dirname "$0")/lib.sh"

make_tokens
export KHOA_FAULT_DIR=$TMP/faults
mkdir -p "$KHOA_FAULT_DIR"

# Another caller than root, when we can be one.
OTHER=
if can_switch_user; then
	as_roles	# clerk, technician, admin: other people (four eyes)
	OTHER=yes
fi
cp "$SOURCE_ROOT/tests/integration/calls.py" "$TMP/calls.py"
chmod 755 "$TMP/calls.py"

SOFTHSM2_MODULE=$FAULT_MODULE start_khoad

calls() { python3 "$TMP/calls.py" "$SOCK" "$@"; }
change() { printf '{"serial":"%s","old_pin":"%s","new_pin":"%s"}' "$1" "$2" "$3"; }
# reply N: the N-th answer of the last calls.py run (line 1 is its pid)
reply() { sed -n "$(($1 + 1))p" "$TMP/calls"; }
pid_of_calls() { sed -n 1p "$TMP/calls" | jq .pid; }
# logins SERIAL [WHO]: the C_Logins the token saw
logins() { grep -c "^C_Login $1 [A-Z_]* ${2:-USER} " "$KHOA_FAULT_DIR/calls.log" || true; }
tries() { call io.khoa.Tokens.History "{\"serial\":\"$1\"}" | jq -c '[.events[] | select(.type == "pin.tried")]'; }
between() { [ "$2" -ge "$1" ] && [ "$2" -le "$3" ] && echo yes || echo "no: $2"; }

duc=$(token_serial "Tran Van Duc")

# ----- a wrong PIN, and at once another
calls io.khoa.Pin.Change "$(change "$duc" Sai#9 N3w-Kh0a!24)" \
	io.khoa.Pin.Change "$(change "$duc" Sai#8 N3w-Kh0a!24)" >"$TMP/calls"
pid1=$(pid_of_calls)
check_eq "a wrong PIN" io.khoa.PinIncorrect "$(reply 1 | jq -r .error)"
check_eq "the next one at once: try later" io.khoa.TryLater "$(reply 2 | jq -r .error)"
check_eq "  for this token" "$duc" "$(reply 2 | jq -r .parameters.serial)"
check_eq "  in a second or two" yes "$(between 1 "$(reply 2 | jq .parameters.seconds)" 2)"
check_eq "the refused PIN never reached the token" 1 "$(logins "$duc")"
check_eq "  and is no event" 1 "$(tries "$duc" | jq length)"

# ----- once the delay has run out the next is tried; the one after it waits 2 s
calls --wait io.khoa.Pin.Change "$(change "$duc" Sai#8 N3w-Kh0a!24)" \
	io.khoa.Pin.Change "$(change "$duc" Sai#7 N3w-Kh0a!24)" >"$TMP/calls"
pid2=$(pid_of_calls)
check_eq "after the delay a wrong PIN is tried" io.khoa.PinIncorrect "$(reply 1 | jq -r .error)"
check_eq "the next one at once: try later" io.khoa.TryLater "$(reply 2 | jq -r .error)"
check_eq "  in about 2 seconds (the delay doubled)" yes \
	"$(between 1 "$(reply 2 | jq .parameters.seconds)" 2)"
check_eq "the token saw two tries" 2 "$(logins "$duc")"

# ----- a right PIN resets the delay
calls --wait io.khoa.Pin.Change "$(change "$duc" 1234 N3w-Kh0a!24)" \
	io.khoa.Pin.Change "$(change "$duc" Sai#6 Kh0a-2468)" >"$TMP/calls"
pid3=$(pid_of_calls)
check_eq "the right PIN, once the delay has run out" "{}" "$(reply 1)"
check_eq "then at once a wrong one is tried: no delay left" io.khoa.PinIncorrect \
	"$(reply 2 | jq -r .error)"
check_eq "the token saw four tries" 4 "$(logins "$duc")"

# ----- the record: events and the log
tries "$duc" >"$TMP/tries"
check_eq "every try is an event: what the token said" "wrong wrong right wrong" \
	"$(jq -r 'map(.details.result) | join(" ")' "$TMP/tries")"
check_eq "  which PIN" "user user user user" "$(jq -r 'map(.details.pin) | join(" ")' "$TMP/tries")"
check_eq "  the delay it set" "1 2 0 1" "$(jq -r 'map(.details.delay) | join(" ")' "$TMP/tries")"
check_eq "  the caller: uid and login" "$(id -u) $(id -un)" \
	"$(jq -r 'map("\(.actor.uid) \(.actor.user)") | unique | join(",")' "$TMP/tries")"
check_eq "  and the pid of its process" "$pid1 $pid2 $pid3 $pid3" \
	"$(jq -r 'map(.details.pid) | join(" ")' "$TMP/tries")"
check_eq "  no tries left where SoftHSM2 does not say" "" \
	"$(jq -r 'map(.details.tries_left // empty) | join(" ")' "$TMP/tries")"
check_contains "a log line for a wrong try: who, what is left, the delay" \
	"token $duc: user PIN wrong, presented by $(id -un) (uid $(id -u), pid $pid1); tries left: many; next try in 1 s" \
	"$(cat "$TMP/khoad.log")"
check_contains "and for a right one" "token $duc: user PIN right, presented by $(id -un) (uid $(id -u), pid $pid3)" \
	"$(cat "$TMP/khoad.log")"
check_eq "a log line for each try" 4 "$(grep -c "token $duc: user PIN [a-z]*, presented by" "$TMP/khoad.log")"

# ----- another caller: named as such, and held to the token's pace
if [ -n "$OTHER" ]; then
	# nobody is the token's holder, by the login on their person record:
	# only those who may hold a token present its PIN (access.sh).
	call io.khoa.People.Create '{"full_name":"Trần Văn Đức","id_number":"034087654321"}' >"$TMP/out"
	call io.khoa.People.Update "{\"id\":$(jq .person.id "$TMP/out"),\"logins\":[\"nobody\"]}" >/dev/null
	call io.khoa.Tokens.Register "{\"serial\":\"$duc\",\"person_id\":$(jq .person.id "$TMP/out")}" >/dev/null
	setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
		/usr/bin/python3 "$TMP/calls.py" "$SOCK" --wait \
		io.khoa.Pin.Change "$(change "$duc" Sai#5 N3w-Kh0a!24)" >"$TMP/calls"
	check_eq "another user's wrong PIN" io.khoa.PinIncorrect "$(reply 1 | jq -r .error)"
	call io.khoa.Pin.Change "$(change "$duc" Sai#4 N3w-Kh0a!24)" >"$TMP/out" || true
	check_eq "  holds up root's next try too (2 s)" io.khoa.TryLater "$(jq -r .error "$TMP/out")"
	check_eq "  the event names that user" "$(id -u nobody) nobody $(pid_of_calls)" \
		"$(tries "$duc" | jq -r '.[-1] | "\(.actor.uid) \(.actor.user) \(.details.pid)"')"
else
	ok "another caller # SKIP needs root and setpriv"
fi

# ----- the SO PIN of a reset: paced on its own count
huong=$(token_serial "Nguyen Thi Huong")
call io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
id=$(jq .request.id "$TMP/out")
if [ -n "$OTHER" ]; then	# root filed it: three others take the steps
	as_clerk io.khoa.PinRequests.Confirm "{\"id\":$id}" >/dev/null
	as_technician io.khoa.PinRequests.Submit "{\"id\":$id}" >/dev/null
	as_admin io.khoa.PinRequests.Forward "{\"id\":$id}" >/dev/null
else
	ok "the SO PIN of a reset # SKIP needs root and setpriv: four eyes need several people"
	done_testing
	exit
fi
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
check_eq "the tries of both PINs are events" "so:wrong user:right so:right" \
	"$(tries "$huong" | jq -r 'map("\(.details.pin):\(.details.result)") | join(" ")')"
check_contains "and log lines" "token $huong: SO PIN wrong, presented by $(id -un)" "$(cat "$TMP/khoad.log")"

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

# ----- no PIN in the log, the registry or the events (as a watcher gets
# them, up to the newest)
last=$(call io.khoa.Events.Last | jq .id)
watch_to "$TMP/events"
watcher=$!
wait_for_line "$TMP/events" "\"id\": $last," || true
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
check_eq "the events were read, up to the newest" "$last" "$(tail -n 1 "$TMP/events" | jq .event.id)"
stop_khoad
dump_registry
for pin in 'Sai#1' 'Sai#2' 'Sai#3' 'Sai#4' 'Sai#5' 'Sai#6' 'Sai#7' 'Sai#8' 'Sai#9' \
	N3w-Kh0a!24 Kh0a-2468 Moi-2468 Moi-5678 87654321 87654320 12345678; do
	found=$(grep -rlw --binary-files=text -F -- "$pin" "$TMP/khoad.log" "$TMP/state" "$TMP/events" \
		2>/dev/null || true)
	check_eq "PIN $pin is in no log, registry file or event" "" "$found"
done

done_testing
