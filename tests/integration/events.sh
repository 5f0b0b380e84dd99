#!/usr/bin/env bash
# Live events: a token created while khoad runs reaches a watcher with no
# rescan asked for; replay with "since"; a watcher that does not read is
# dropped with io.khoa.TooSlow while the daemon goes on.
. "$(dirname "$0")/lib.sh"

make_tokens
start_khoad --scan-interval 1 --watch-backlog 16

# Replay: what happened before the watcher came, from "since".
watch_to "$TMP/replay" '{"since":0}'
replay=$!
wait_for_line "$TMP/replay" '"token.appeared"' && ok "replay from since=0 includes the first sightings" ||
	not_ok "replay from since=0 includes the first sightings"

# Live: a new token with nobody asking for a rescan. (The watcher asks from
# since 0, as every watcher here: one asking only for what comes next could
# reach khoad after the token has.)
watch_to "$TMP/live"
live=$!
softhsm2-util --init-token --free --label "Hot plugged" --so-pin 12345678 --pin 1234 >/dev/null
created=$(date +%s.%N)
if wait_for_line "$TMP/live" '"label": "Hot plugged"'; then
	ok "a new token reaches a watcher without a rescan"
	echo "# seen $(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) - float(sys.argv[2])))" \
		"$(date +%s.%N)" "$created") s after it was created (periodic scan every 1 s)"
else
	not_ok "a new token reaches a watcher without a rescan"
	sed 's/^/#   /' "$TMP/live"
fi
serial=$(token_serial "Hot plugged")
check_contains "the event names the token" "\"token_serial\": \"$serial\"" "$(grep '"token.appeared"' "$TMP/live" | grep 'Hot plugged')"
check_contains "first sighting says so" '"first_seen": true' "$(grep 'Hot plugged' "$TMP/live")"

softhsm2-util --delete-token --serial "$serial" >/dev/null
wait_for_line "$TMP/live" "\"token.removed\", \"token_serial\": \"$serial\"" && ok "a removed token reaches the watcher" ||
	not_ok "a removed token reaches the watcher"

# Filter by serial: only that token's events.
watch_to "$TMP/one" "{\"serial\":\"$serial\",\"since\":0}"
one=$!
wait_for_line "$TMP/one" '"token.removed"' || true
check_eq "a watcher of one token sees only it" "$serial" \
	"$(grep -o '"token_serial": "[^"]*"' "$TMP/one" | sort -u | sed 's/.*: "//; s/"//')"

# A watcher that never reads: dropped once 16 KiB of events wait for it. It
# reads its first event (so khoad has enrolled it before the burst), then no
# more.
python3 - "$SOCK" >"$TMP/sleeper" <<'PY' &
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(json.dumps({"method": "io.khoa.Events.Watch", "more": True,
                      "parameters": {"since": 0}}).encode() + b'\0')
while s.recv(1) not in (b'\0', b''):
    pass
print("enrolled", flush=True)
time.sleep(120)
PY
sleeper=$!
wait_for_line "$TMP/sleeper" enrolled
python3 - "$SOCK" <<'PY' >"$TMP/burst"
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
buf = b''
for i in range(1500):
    p = {"name": "Đơn vị số %d với một cái tên khá dài để sự kiện nặng hơn" % i}
    s.sendall(json.dumps({"method": "io.khoa.Organizations.Create", "parameters": p}).encode() + b'\0')
    while b'\0' not in buf:
        buf += s.recv(65536)
    raw, buf = buf.split(b'\0', 1)
print("done")
PY
kill "$sleeper" 2>/dev/null || true
check_eq "1500 changes went through beside the stalled watcher" done "$(cat "$TMP/burst")"
check_contains "the stalled watcher was dropped" "fell 16384 bytes behind its stream; dropped" "$(cat "$TMP/khoad.log")"
wait_for_line "$TMP/live" 'Đơn vị số 1499' && ok "a reading watcher got every event meanwhile" ||
	not_ok "a reading watcher got every event meanwhile"

# Watch without "more" is a protocol error.
python3 "$SOURCE_ROOT/tests/integration/call.py" "$SOCK" io.khoa.Events.Watch >"$TMP/out" || true
check_eq "Watch needs more" org.varlink.service.ExpectedMore "$(jq -r .error "$TMP/out")"

# The cursor: the newest event's id, and a watch "since" it gets what comes
# after, nothing before.
before=$(call io.khoa.Events.Last | jq -r .id)
check_eq "Last: the id of the newest event (1500 changes and more)" true \
	"$([ "$before" -ge 1500 ] && echo true || echo false)"
call io.khoa.Organizations.Create '{"name":"Đơn vị sau con trỏ"}' >/dev/null
after=$(call io.khoa.Events.Last | jq -r .id)
watch_to "$TMP/cursor" "{\"since\":$before}"
cursor=$!
wait_for_line "$TMP/cursor" 'Đơn vị sau con trỏ' && ok "a watch since the cursor gets the change" ||
	not_ok "a watch since the cursor gets the change"
check_eq "  and starts right after the cursor" "$((before + 1))" \
	"$(head -n1 "$TMP/cursor" | jq -r .event.id)"
created=$(jq -r 'select(.event.type == "organization.created") | .event.id' "$TMP/cursor")
check_eq "Last: counts the change" true "$([ "$after" -ge "$created" ] && echo true || echo false)"

kill "$replay" "$live" "$one" "$cursor" 2>/dev/null || true

# A long history (issue 15): 100,000 more events, then a watch from the
# first. The replay goes a chunk at a time as the reader reads, within the
# 16 KiB backlog of this khoad, and then the new events follow. (10,000 on
# PostgreSQL and under the sanitizers, for CI's time: the same code.)
bulk=100000
[ "$REGISTRY" = sqlite ] && [ -z "${KHOA_TEST_SANITIZED:-}" ] || bulk=10000
registry_sql "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $bulk)
	INSERT INTO events (time, type, token_serial, actor_uid, actor_user, details)
	SELECT '2026-01-01T00:00:00Z', 'test.bulk', NULL, 0, 'root', '{\"n\": ' || i || '}' FROM n" \
	>/dev/null
total=$(call io.khoa.Events.Last | jq -r .id)
started=$(date +%s.%N)
"$KHOA" --socket "$SOCK" --json watch --since 0 >"$TMP/history" 2>"$TMP/history.err" &
history=$!
lines_at_least() { [ "$(wc -l <"$TMP/history")" -ge "$1" ]; }
wait_until lines_at_least "$total" || true
took=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) - float(sys.argv[2])))" \
	"$(date +%s.%N)" "$started")
check_eq "khoa watch --since 0 over $bulk events and more: every one, in order" \
	"$total $total true" "$(jq -s '[length, (map(.id) | unique | length),
		(map(.id) == (map(.id) | sort))] | map(tostring) | join(" ")' -r "$TMP/history")"
echo "# $total events replayed to khoa watch in $took s"
call io.khoa.Organizations.Create '{"name":"Sau lịch sử dài"}' >/dev/null
wait_for_line "$TMP/history" "Sau lịch sử dài" && ok "then the new events follow, live" ||
	not_ok "then the new events follow, live"
check_eq "the reader was never too slow" "" "$(cat "$TMP/history.err")"
kill "$history" 2>/dev/null || true
done_testing
