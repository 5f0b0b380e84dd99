#!/usr/bin/env bash
# khoad as systemd runs it, with systemd's own tools and sockets played by
# the test: socket activation (systemd-socket-activate starts the real
# khoad on the first connection), the notify socket (READY, STATUS,
# WATCHDOG from the event loop, RELOADING, STOPPING), a watchdog miss when
# the loop stalls on a registry locked by another process, SIGHUP reloading
# the configuration (and keeping it when the new one is wrong),
# --check-config, and the journal's native protocol (structured fields and
# the catalog's MESSAGE_IDs) on a journal socket in a mount namespace.
. "$(dirname "$0")/lib.sh"

if ! command -v systemd-socket-activate >/dev/null; then
	echo "1..0 # SKIP systemd-socket-activate is not installed"
	exit 0
fi
as_roles
make_tokens

LISTEN=$SOURCE_ROOT/tests/integration/listen.py

# ----- --check-config
printf '[roles]\nclerk = staff\n[rules]\nrenew-min-days = 45\n' >"$TMP/good.conf"
check_status "--check-config: a good file" 0 "$KHOAD" --config "$TMP/good.conf" --check-config
check_contains "it says so" "good.conf: the configuration is valid" "$(cat "$TMP/out")"
check_contains "and prints what is in effect: the group of a role" "clerk = staff($clerkgroup)" "$(cat "$TMP/out")"
check_contains "the rules, with the default of what is not set" \
	"$(printf 'renew-min-days = 45\nnew-max-years = 10')" "$(cat "$TMP/out")"
printf '[forms]\nplace = \xff\n' >"$TMP/bad3.conf"
check_status "--check-config: a [forms] place that is no UTF-8" 1 "$KHOAD" --config "$TMP/bad3.conf" --check-config
check_contains "says what a place is" "bad3.conf:2: place must be a name" "$(cat "$TMP/err")"
printf '[roles]\nclerk = staff\n\n[rule]\nrenew-min-days = 45\n' >"$TMP/bad.conf"
check_status "--check-config: a misspelt section" 1 "$KHOAD" --config "$TMP/bad.conf" --check-config
check_eq "file, line and reason" \
	"khoad: $TMP/bad.conf:5: unknown section [rule] (the sections are [roles], [clerks], [rules], [registry], [clients] and [forms])" "$(cat "$TMP/err")"
printf '[rules]\nreport-month = 13\n' >"$TMP/bad2.conf"
check_status "--check-config: a value out of range" 1 "$KHOAD" --config "$TMP/bad2.conf" --check-config
check_contains "names the key and the range" "bad2.conf:2: [rules] report-month: '13' is not a month from 1 to 12" "$(cat "$TMP/err")"
check_status "a bad file stops khoad at start" 1 "$KHOAD" --config "$TMP/bad.conf" \
	--socket "$TMP/x.sock" --state-dir "$TMP/x" --module "$SOFTHSM2_MODULE"
check_contains "with the same words" "bad.conf:5: unknown section [rule]" "$(cat "$TMP/err")"

# ----- socket activation and readiness
python3 "$LISTEN" "$TMP/notify.sock" >"$TMP/notify" &
listener=$!
wait_listening "$TMP/notify"
printf '[rules]\nname = before the reload\n' >"$TMP/khoad.conf"
env_of() { for v in "$@"; do [ -n "${!v:-}" ] && printf -- '-E\n%s\n' "$v"; done; }
mapfile -t pass < <(env_of SOFTHSM2_CONF TEXTDOMAINDIR PATH ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS)
systemd-socket-activate -l "$SOCK" "${pass[@]}" -E NOTIFY_SOCKET="$TMP/notify.sock" \
	-E WATCHDOG_USEC=1000000 \
	"$KHOAD" --module "$SOFTHSM2_MODULE" --scan-interval 0 --state-dir "$TMP/state" \
	--config "$TMP/khoad.conf" "${REGISTRY_ARGS[@]}" 2>>"$TMP/khoad.log" &
KHOAD_PID=$!
wait_until test -S "$SOCK" || true
chmod 666 "$SOCK"	# SocketMode=0666 in khoad.socket
check_eq "systemd's socket is there before khoad runs" "systemd-socket-" "$(cat /proc/$KHOAD_PID/comm)"
check_eq "nothing notified yet" 1 "$(wc -l <"$TMP/notify")"
"$KHOA" --socket "$SOCK" status >"$TMP/out"
check_contains "the first client starts khoad, which answers it" "khoad" "$(cat "$TMP/out")"
check_eq "the process is khoad now" "khoad" "$(cat /proc/$KHOAD_PID/comm)"
check_eq "READY=1" 1 "$(await "$TMP/notify" '.READY == "1"')"
# the counts once the first scan is done (READY may come before it)
scanned() { "$KHOA" --socket "$SOCK" --json status | jq -e .snapshot_time >/dev/null; }
wait_until scanned
"$KHOA" --socket "$SOCK" --json status >"$TMP/out"
counts="$(jq -r '"\(.tokens) tokens, \(.certificates) certificates"' "$TMP/out")"
check_eq "STATUS after the scan: $counts" 1 \
	"$(await "$TMP/notify" "(.STATUS // \"\") | startswith(\"$counts\")")"
check_eq "WATCHDOG=1, again and again" 3 "$(await "$TMP/notify" '.WATCHDOG == "1"' 3)"
check_contains "khoad says where systemd's socket is" "listening on $SOCK" "$(cat "$TMP/khoad.log")"

# ----- a stalled loop misses the watchdog: another process locks the registry
# It holds the lock until the watchdog has been silent for 1.5 s (longer
# than WATCHDOG_USEC), not for a set time: the write meets the lock however
# late it comes, and is let through well within khoad's 5 s busy timeout
# (SQLite's busy_timeout, PostgreSQL's lock_timeout).
if [ "$REGISTRY" = postgresql ]; then
	# the table the write goes to, locked by another session until told
	mkfifo "$TMP/lockfifo"
	psql -X -q -h "$KHOA_TEST_PGHOST" -U khoa -d "$PGDB" -At <"$TMP/lockfifo" >"$TMP/locker" &
	locker=$!
	exec 9>"$TMP/lockfifo"
	echo "BEGIN; LOCK TABLE organizations IN ACCESS EXCLUSIVE MODE; SELECT 'locked';" >&9
else
	python3 -c '
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.01)
c.execute("COMMIT")' "$TMP/state/registry.db" "$TMP/unlock" >"$TMP/locker" &
	locker=$!
fi
wait_for_line "$TMP/locker" locked
before=$(jq -c 'select(.fields.WATCHDOG)' "$TMP/notify" | wc -l)
call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh Thái Bình"}' >"$TMP/out" &
writer=$!
python3 - "$TMP/notify" "$WAIT_S" <<'PY' || echo "# the watchdog never fell silent"
import json, sys, time
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    pings = []
    for line in open(sys.argv[1]):
        try:
            if json.loads(line)["fields"].get("WATCHDOG") == "1":
                pings.append(json.loads(line)["t"])
        except ValueError:
            pass
    if pings and time.monotonic() - pings[-1] > 1.5:
        sys.exit(0)
    time.sleep(0.02)
sys.exit(1)
PY
touch "$TMP/unlock"
if [ "$REGISTRY" = postgresql ]; then
	echo "COMMIT;" >&9
	exec 9>&-
fi
wait "$writer" || true
wait "$locker"
check_eq "the write waited for the lock and was not lost" "Văn phòng UBND tỉnh Thái Bình" "$(jq -r .organization.name "$TMP/out")"
await "$TMP/notify" '.WATCHDOG == "1"' $((before + 2)) >/dev/null
gap=$(jq -s '[.[] | select(.fields.WATCHDOG) | .t] | [range(1; length) as $i | .[$i] - .[$i - 1]] | max' "$TMP/notify")
check_eq "no WATCHDOG=1 for longer than WATCHDOG_USEC (1 s) while stalled" true \
	"$(jq -n --argjson g "$gap" '$g > 1.0')"
echo "# longest gap between pings: $gap s"

# ----- SIGHUP: the configuration read again
as_clerk io.khoa.Reports.Enter '{"year":2026,"documents_sent":1}' >"$TMP/out" || true
check_eq "before the reload the staff group is no clerk" "io.khoa.PermissionDenied" "$(jq -r .error "$TMP/out")"
check_eq "no [forms] place yet" "null" "$("$KHOA" --socket "$SOCK" --json status | jq -r .place)"
printf '[roles]\nclerk = staff\n[rules]\nname = after the reload\n[forms]\nplace = Thái Bình\n' >"$TMP/khoad.conf"
kill -HUP "$KHOAD_PID"
check_eq "RELOADING=1 on SIGHUP" 1 "$(await "$TMP/notify" '.RELOADING == "1"')"
check_eq "READY=1 again once reloaded" 2 "$(await "$TMP/notify" '.READY == "1"' 2)"
as_clerk io.khoa.Reports.Enter '{"year":2026,"documents_sent":1}' >"$TMP/out"
check_eq "after it, the staff group is clerk" "1" "$(jq -r '.report.rows[9].total' "$TMP/out")"
check_contains "the log names the new rules" "configuration reloaded from $TMP/khoad.conf; rules: after the reload" \
	"$(cat "$TMP/khoad.log")"
check_eq "the forms' place of the new file, for khoa print (io.khoa.Daemon.Status)" "Thái Bình" \
	"$("$KHOA" --socket "$SOCK" --json status | jq -r .place)"
printf '[roles]\nclerk = staff\n[rules]\nrenew-min-days = soon\n' >"$TMP/khoad.conf"
kill -HUP "$KHOAD_PID"
check_eq "a wrong file on SIGHUP: ready again" 3 "$(await "$TMP/notify" '.READY == "1"' 3)"
check_contains "its error is logged, the configuration kept" \
	"khoad.conf:4: [rules] renew-min-days: 'soon' is not a number of days from 0 to 3650; the configuration in effect is kept" \
	"$(cat "$TMP/khoad.log")"
as_clerk io.khoa.Reports.Enter '{"year":2026,"documents_sent":2}' >"$TMP/out"
check_eq "the roles in effect still hold" "2" "$(jq -r '.report.rows[9].total' "$TMP/out")"

# ----- SIGTERM: STOPPING=1, a clean exit, systemd's socket left to systemd
stop_khoad
check_eq "STOPPING=1" 1 "$(await "$TMP/notify" '.STOPPING == "1"')"
check_eq "the socket is systemd's: khoad leaves it" yes "$([ -S "$SOCK" ] && echo yes)"
kill "$listener"

# ----- the journal: structured fields and the catalog's MESSAGE_IDs
if ! command -v unshare >/dev/null || ! unshare -m true 2>/dev/null; then
	echo "# journal: skipped, no mount namespace here (unshare -m)"
else
	mkdir -p "$TMP/run/systemd/journal"
	python3 "$LISTEN" "$TMP/run/systemd/journal/socket" >"$TMP/journal" &
	listener=$!
	wait_listening "$TMP/journal"
	rm -f "$SOCK"
	: >"$TMP/journal-stderr"
	stream=$(stat -c '%d:%i' "$TMP/journal-stderr")
	# khoad sees the test's journal socket at /run/systemd/journal/socket,
	# and its stderr as the journal's stream (JOURNAL_STREAM).
	JOURNAL_STREAM=$stream unshare -m sh -c 'mount --bind "$1/run" /run && shift && exec "$@"' sh "$TMP" \
		"$KHOAD" --socket "$SOCK" --module "$SOFTHSM2_MODULE" --scan-interval 0 \
		--state-dir "$TMP/state-journal" --config "$TMP/good.conf" 2>>"$TMP/journal-stderr" &
	KHOAD_PID=$!
	wait_for_khoad
	call io.khoa.Tokens.Rescan >/dev/null
	huong=$(token_serial "Nguyen Thi Huong")
	vy=$(token_serial "Le Quang Vy")
	vy_cert=$(openssl x509 -in "$TMP/fx/certs/Le_Quang_Vy-01.pem" -noout -serial | sed 's/^serial=//')
	catalog_id() { awk -v t="$1" '/^-- / { id = $2 } $1 == "Subject:" && $2 == t ":" { print id }' \
		"$SOURCE_ROOT/contrib/systemd/khoad.catalog"; }
	call io.khoa.People.Create '{"full_name":"Nguyễn Thị Hường","id_number":"034186000123"}' >/dev/null
	call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":1}" >/dev/null
	check_eq "a plain message: MESSAGE and PRIORITY (info)" 1 \
		"$(await "$TMP/journal" "(.MESSAGE // \"\") == \"listening on $SOCK\" and .PRIORITY == \"6\" and .SYSLOG_IDENTIFIER == \"khoad\"")"
	check_eq "token.registered: its MESSAGE_ID from the catalog, TOKEN_SERIAL as pkcs11-tool reads it" 1 \
		"$(await "$TMP/journal" ".KHOA_EVENT == \"token.registered\" and .TOKEN_SERIAL == \"$huong\" and .MESSAGE_ID == \"$(catalog_id token.registered)\"")"
	check_eq "certificate.expired: CERT_SERIAL as openssl reads it" 1 \
		"$(await "$TMP/journal" ".KHOA_EVENT == \"certificate.expired\" and .CERT_SERIAL == \"$vy_cert\" and .TOKEN_SERIAL == \"$vy\" and .MESSAGE_ID == \"$(catalog_id certificate.expired)\"")"
	call io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
	check_eq "pin_request.filed: REQUEST_ID" 1 \
		"$(await "$TMP/journal" ".KHOA_EVENT == \"pin_request.filed\" and .REQUEST_ID == \"$(jq -r .request.id "$TMP/out")\"")"
	call io.khoa.Incidents.Report "{\"serial\":\"$huong\",\"kind\":\"lost\"}" >/dev/null
	check_eq "token.lost: an alert for Sở TT&TT, a warning with its MESSAGE_ID (issue 16)" 1 \
		"$(await "$TMP/journal" ".KHOA_EVENT == \"token.lost\" and .PRIORITY == \"4\" and .TOKEN_SERIAL == \"$huong\" and .MESSAGE_ID == \"$(catalog_id token.lost)\"")"
	check_eq "audit.head: the trail's head, with its MESSAGE_ID" 1 \
		"$(await "$TMP/journal" ".MESSAGE_ID == \"$(catalog_id audit.head)\" and (.MESSAGE | test(\"^audit trail head: record [0-9]+ sha256 [0-9a-f]{64}$\"))")"
	sqlite3 "$TMP/state-journal/registry.db" "UPDATE people SET full_name = 'X' WHERE id = 1"
	call io.khoa.Audit.Verify '{}' >/dev/null
	check_eq "audit.broken: an error, with its MESSAGE_ID, naming the row" 1 \
		"$(await "$TMP/journal" ".KHOA_EVENT == \"audit.broken\" and .PRIORITY == \"3\" and .MESSAGE_ID == \"$(catalog_id audit.broken)\" and (.MESSAGE | test(\"row_changed people 1\"))")"
	check_eq "every event type has its MESSAGE_ID" 0 \
		"$(jq -c 'select(.fields.KHOA_EVENT and (.fields.MESSAGE_ID | not))' "$TMP/journal" | wc -l)"
	check_eq "nothing of it on stderr" "" "$(grep -v 'no group' "$TMP/journal-stderr" || true)"
	stop_khoad
	kill "$listener"
fi
done_testing
