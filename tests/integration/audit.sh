#!/usr/bin/env bash
# The audit trail (issue 15): every change sealed by a record chained to the
# one before; the eight edits of the registry made around a stopped khoad
# (sqlite3, or psql on a shared registry) each caught and named at start,
# by khoa audit verify, by khoa status, as an audit.broken event and an
# error in the log; khoad keeps serving. On SQLite, a forger who rewrites
# the whole chain after an edit is caught against the heads the journal
# kept (tests/integration/audit-forge.py rewrites it).
. "$(dirname "$0")/lib.sh"

can_switch_user && as_roles	# the roles' users, for the access checks
make_tokens
start_khoad

jqo() { jq -r "$1" "$TMP/out"; }

call io.khoa.Organizations.Create '{"name":"Sở Thông tin và Truyền thông","address":"Thái Bình"}' >/dev/null
call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh Thái Bình"}' >/dev/null
call io.khoa.People.Create '{"full_name":"Nguyễn Thị Hường","id_number":"034187654321","organization_id":2}' >/dev/null
call io.khoa.People.Create '{"full_name":"Trần Văn Đức","id_number":"034087654321","position":"Văn thư","organization_id":2}' >/dev/null
huong=$(token_serial "Nguyen Thi Huong")
duc=$(token_serial "Tran Van Duc")
vy=$(token_serial "Le Quang Vy")
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":1}" >/dev/null
call io.khoa.Handovers.New "{\"giver\":{\"organization_id\":1,\"representative\":\"Lê Văn Bình\",\"position\":\"Phó Giám đốc\"},
	\"receiver\":{\"person_id\":2},\"reason\":\"new-issue\",\"place\":\"Sở TT&TT\",
	\"serials\":[\"$huong\",\"$duc\",\"$vy\"]}" >"$TMP/out"
ho=$(jqo .handover.id)
call io.khoa.Handovers.Finalize "{\"id\":$ho}" >/dev/null

# Every change is in the trail, the newest first, chained.
call io.khoa.Audit.Log '{}' >"$TMP/out"
check_eq "the trail: the finalization last, by its actor" "handover.finalized custody.moved|root" \
	"$(jqo '.records[0] | "\(.action)|\(.actor.user)"')"
check_eq "each record carries the hash of the one before" "true" \
	"$(jqo '[.records as $r | range(0; ($r | length) - 1) | $r[.].prev == $r[. + 1].hash] | all')"
check_eq "the first record: the trail begun on the empty registry" "audit.sealed 0" \
	"$(jqo '.records[-1] | "\(.action) \(.change_count)"')"
check_contains "the finalization's changes: the handover's row, updated, with its digest" \
	"handovers $ho update" "$(jqo '.records[0].changes[] | "\(.table) \(.key) \(.op) \(.digest | length)"')"
all=$(jqo '[.records[].seq] | join(" ")')
n=$(jqo '.records | length')
check_eq "the trail pages, a record a page" "$all |$n" "$(page_through call io.khoa.Audit.Log '{}' '.records[0].seq')"

call io.khoa.Audit.Verify '{}' >"$TMP/out"
check_eq "verified intact" "true 0" "$(jqo '"\(.intact) \(.problem_count)"')"
records=$(jqo .records)
check_eq "khoa audit verify: intact, exit 0" "0" "$(khoa audit verify >"$TMP/verify.txt"; echo $?)"
check_contains "khoa audit verify says so" "intact" "$(cat "$TMP/verify.txt")"
khoa audit log >"$TMP/log.txt"
check_contains "khoa audit log: the finalization, by root" "handover.finalized" "$(cat "$TMP/log.txt")"
if can_switch_user; then
	as_official io.khoa.Audit.Verify '{}' >"$TMP/out" || true
	check_eq "a user without a role may not verify" "io.khoa.PermissionDenied" "$(jqo .error)"
	as_clerk io.khoa.Audit.Log '{}' >"$TMP/out" || true
	check_eq "nor may a clerk read the trail" "io.khoa.PermissionDenied" "$(jqo .error)"
	as_technician io.khoa.Audit.Verify '{}' >"$TMP/out"
	check_eq "a technician verifies" "true" "$(jqo .intact)"
fi
call io.khoa.Audit.Verify '{"heads":[{"seq":1,"hash":"xyz"}]}' >"$TMP/out" || true
check_eq "a head that is no hash: refused" "io.khoa.InvalidField heads" "$(jqo '"\(.error) \(.parameters.parameter // .parameters.field)"')"

# The ids the edits aim at.
second_row=$(registry_sql "SELECT id FROM handover_rows WHERE handover_id = $ho AND number = 2")
finalized=$(registry_sql "SELECT id FROM events WHERE type = 'handover.finalized'")
two_events=$(registry_sql "SELECT id FROM events WHERE type = 'person.created' ORDER BY id")
holder=$(registry_sql "SELECT id FROM holders WHERE token_serial = '$huong'")
stop_khoad
cp -a "$TMP/khoad.log" "$TMP/khoad.log.before"

# The eight edits, made with the engine's own client while khoad is stopped.
registry_sql "DELETE FROM handover_rows WHERE id = $second_row"
registry_sql "UPDATE certificates SET serial = '0BADC0FFEE' WHERE id = 1"
registry_sql "UPDATE handovers SET state = 'draft', finalized_at = NULL WHERE id = $ho"
registry_sql "UPDATE events SET actor_user = 'mallory' WHERE type = 'person.created'"
registry_sql "DELETE FROM events WHERE id = $finalized"
registry_sql "UPDATE people SET id_number = '001099000001' WHERE id = 1"
registry_sql "UPDATE holders SET person_id = 2 WHERE id = $holder"

start_khoad
wait_for_line "$TMP/khoad.log" "audit.broken"
check_contains "at start: an error in the log, naming the first broken link" \
	"error: event audit.broken: " "$(cat "$TMP/khoad.log")"
khoa status >"$TMP/status.txt"
check_contains "khoa status shows the trail broken" "BROKEN" "$(cat "$TMP/status.txt")"
check_eq "an audit.broken event, in the registry" "1" \
	"$(registry_sql "SELECT count(*) FROM events WHERE type = 'audit.broken'")"

call io.khoa.Audit.Verify '{}' >"$TMP/out"
check_eq "not intact" "false" "$(jqo .intact)"
problems() { jqo '.problems[] | "\(.kind) \(.table) \(.key)"'; }
check_contains "1. the finalized handover's deleted row" "row_deleted handover_rows $second_row" "$(problems)"
check_contains "2. the certificate's serial changed" "row_changed certificates 1" "$(problems)"
check_contains "3. the finalized handover set back to draft" "row_changed handovers $ho" "$(problems)"
for e in $two_events; do
	check_contains "4. an event's actor rewritten (event $e)" "row_changed events $e" "$(problems)"
done
check_contains "5. the handover.finalized event deleted" "row_deleted events $finalized" "$(problems)"
check_contains "6. the ID number changed" "row_changed people 1" "$(problems)"
check_contains "7. the token's holder reassigned" "row_changed holders $holder" "$(problems)"
check_contains "the edits were noted as made around khoad" "change_outside people 1" "$(problems)"
check_eq "the first broken link first: the earliest record" \
	"$(jqo '[.problems[] | select(.seq) | .seq] | min')" "$(jqo '.problems[0].seq')"
check_eq "each row problem names the record that sealed the row" "true" \
	"$(jqo '[.problems[] | select(.kind | startswith("row_changed")) | (.time and .action)] | all')"

khoa audit verify >"$TMP/verify.txt" && status=0 || status=$?
check_eq "khoa audit verify: exit 1" "1" "$status"
check_contains "khoa audit verify names the deleted row" "row $second_row of handover_rows" "$(cat "$TMP/verify.txt")"
check_contains "and the changed ID number's row" "row 1 of people" "$(cat "$TMP/verify.txt")"
call io.khoa.Tokens.List '{}' >"$TMP/out"
check_eq "khoad keeps serving" "null" "$(jqo .error)"

# A registry older than the trail (its rows put in around it here, 6,000
# events among them: more than a batch of PostgreSQL's cursors): the first
# khoad to start on it seals them all in one record, and they verify.
stop_khoad
registry_sql "DELETE FROM audit_staged; DELETE FROM audit_changes; DELETE FROM audit_records"
if [ "$REGISTRY" = postgresql ]; then
	registry_sql "INSERT INTO events (time, type, details) SELECT '2026-01-01T00:00:00Z', 'token.removed', '{}' FROM generate_series(1, 6000)"
else
	registry_sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) INSERT INTO events (time, type, details) SELECT '2026-01-01T00:00:00Z', 'token.removed', '{}' FROM n"
fi
registry_sql "DELETE FROM audit_staged"
rows=$(registry_sql "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM people) + (SELECT count(*) FROM handovers)")
: >"$TMP/khoad.log"
start_khoad
check_contains "an older registry: its rows sealed by a first record" "audit trail begun, its" "$(cat "$TMP/khoad.log")"
call io.khoa.Audit.Verify '{}' >"$TMP/out"
check_eq "and verified intact, the rows found broken before now sealed as they are" "true 0" "$(jqo '"\(.intact) \(.problem_count)"')"
check_eq "every row checked" "true" "$(jqo ".rows > $rows")"

# The journal's heads (here khoad's log) against a rewritten chain: SQLite's
# rows are digested by khoad, so a forger can redo the chain after an edit.
if [ "$REGISTRY" = sqlite ]; then
	stop_khoad
	fresh_registry
	: >"$TMP/khoad.log"
	start_khoad
	call io.khoa.People.Create '{"full_name":"Phạm Thu Trang","id_number":"034199000777"}' >/dev/null
	call io.khoa.People.Update '{"id":1,"position":"Chuyên viên"}' >/dev/null
	stop_khoad
	start_khoad	# the head to the log again, after the changes
	stop_khoad
	grep -o 'record [0-9]* sha256 [0-9a-f]*' "$TMP/khoad.log" >"$TMP/heads"
	python3 "$SOURCE_ROOT/tests/integration/audit-forge.py" "$TMP/state/registry.db" people 1 \
		id_number 001099000002
	start_khoad
	call io.khoa.Audit.Verify '{}' >"$TMP/out"
	check_eq "a rewritten chain holds against itself" "true" "$(jqo .intact)"
	khoa audit verify --heads "$TMP/heads" >"$TMP/verify.txt" && status=0 || status=$?
	check_eq "but not against the journal's heads: exit 1" "1" "$status"
	heads=$(jq -cRs 'split("\n") | map(select(length > 0) | split(" ") | {seq: (.[1] | tonumber), hash: .[3]})' "$TMP/heads")
	call io.khoa.Audit.Verify "{\"heads\":$heads}" >"$TMP/out"
	check_eq "the heads the journal saw and the registry's records differ: named" \
		"head_mismatch" "$(jqo '[.problems[].kind] | unique | join(" ")')"
	check_contains "khoa audit verify --heads says so" "not the one the journal saw" "$(cat "$TMP/verify.txt")"
fi

stop_khoad
done_testing
