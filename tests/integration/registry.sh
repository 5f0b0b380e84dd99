#!/usr/bin/env bash
# The registry through the real daemon: organizations and people with their
# validation, registration of a token read from the device, its history, a
# replaced certificate raising token.mismatch, and the record surviving a
# restart and a kill -9 in the middle of a burst of changes.
. "$(dirname "$0")/lib.sh"

# field JSON-PATH: from the last call's output in $TMP/out
# expect_error DESCRIPTION ERROR METHOD PARAMS
expect_error() {
	local desc=$1 want=$2
	shift 2
	call "$@" >"$TMP/out" || true
	check_eq "$desc" "$want" "$(j '.error // "no error"')"
}

make_tokens
start_khoad

# Organizations and people, validated.
call io.khoa.Organizations.Create '{"name":"UBND tỉnh Thái Bình","tax_code":"0100109106"}' >"$TMP/out"
province=$(j .organization.id)
call io.khoa.Organizations.Create "{\"name\":\"Sở Tài chính\",\"parent_id\":$province}" >"$TMP/out"
finance=$(j .organization.id)
check_eq "organization under its parent" "$province" "$(j .organization.parent_id)"
# A name typed in decomposed form (as some keyboards send it) is stored composed.
call io.khoa.People.Create "$(printf '{"full_name":"Nguye\\u0302\\u0303n Thi\\u0323 Hu\\u031bo\\u031b\\u0300ng","id_number":"034186000123","birth_date":"12/03/1986","organization_id":%s,"position":"Phó Giám đốc","phone":"+84 912 345 678"}' "$finance")" >"$TMP/out"
huong_id=$(j .person.id)
check_eq "name stored NFC" "Nguyễn Thị Hường" "$(j .person.full_name)"
check_eq "birth date stored ISO" "1986-03-12" "$(j .person.birth_date)"
check_eq "phone stored in national form" "0912345678" "$(j .person.phone)"
check_eq "person's agency" "Sở Tài chính" "$(j .person.organization_name)"

expect_error "empty name refused" io.khoa.InvalidField io.khoa.People.Create '{"full_name":"  ","id_number":"034186000124"}'
check_eq "the error names the field" full_name "$(j .parameters.field)"
expect_error "CCCD with an unknown province refused" io.khoa.InvalidField io.khoa.People.Create '{"full_name":"Lê Văn A","id_number":"003186000123"}'
check_eq "the error cites the rule by its code" "cccd-province" "$(j .parameters.rule)"
expect_error "CCCD not matching the birth year refused" io.khoa.InvalidField io.khoa.People.Create '{"full_name":"Lê Văn A","id_number":"034190000123","birth_date":"1986-01-01"}'
expect_error "11 digits refused" io.khoa.InvalidField io.khoa.People.Create '{"full_name":"Lê Văn A","id_number":"03418600012"}'
expect_error "the same CCCD twice refused" io.khoa.InvalidField io.khoa.People.Create '{"full_name":"Lê Văn B","id_number":"034186000123"}'
expect_error "unknown organization refused" io.khoa.NoSuchOrganization io.khoa.People.Create '{"full_name":"Lê Văn A","id_number":"034186000125","organization_id":999}'
expect_error "a bad tax code refused" io.khoa.InvalidField io.khoa.Organizations.Create '{"name":"X","tax_code":"0100109107"}'
expect_error "an organization below itself refused" io.khoa.InvalidField io.khoa.Organizations.Update "{\"id\":$province,\"parent_id\":$finance}"
expect_error "unknown person" io.khoa.NoSuchPerson io.khoa.People.Get '{"id":999}'
call io.khoa.People.Update "{\"id\":$huong_id,\"position\":\"\"}" >"$TMP/out"
check_eq "an empty string clears an optional field" null "$(j .person.position)"

# The lists a page at a time (issue 15): one a page, by id, the pages
# together the list, the last without next.
call io.khoa.People.Create "{\"full_name\":\"Lê Văn Bình\",\"id_number\":\"034086000126\",\"organization_id\":$province}" >"$TMP/out"
binh_id=$(j .person.id)
check_eq "People.List a page at a time" "$huong_id $binh_id |2" \
	"$(page_through call io.khoa.People.List '{}' '.people[].id')"
check_eq "People.List of an organization a page at a time" "$binh_id |1" \
	"$(page_through call io.khoa.People.List "{\"organization_id\":$province}" '.people[].id')"
page_refusals "People.List" call io.khoa.People.List
check_eq "Organizations.List a page at a time" "$province $finance |2" \
	"$(page_through call io.khoa.Organizations.List '{}' '.organizations[].id')"
# Unique by tax code, and by name under one parent (issue 16).
expect_error "the same name under the same parent refused" io.khoa.Duplicate \
	io.khoa.Organizations.Create "{\"name\":\"Sở Tài chính\",\"parent_id\":$province}"
check_eq "  naming the one there" "$finance name" "$(j '"\(.parameters.id) \(.parameters.field)"')"
expect_error "the same tax code refused" io.khoa.Duplicate \
	io.khoa.Organizations.Create '{"name":"UBND tỉnh (trùng)","tax_code":"0100109106"}'
check_eq "  naming the one there" "$province tax_code" "$(j '"\(.parameters.id) \(.parameters.field)"')"
call io.khoa.Organizations.Create '{"name":"Sở Tài chính"}' >"$TMP/out"
check_eq "the same name at the top: another organization" "null" "$(j .error)"
other=$(j .organization.id)
expect_error "nor moved under the parent that has the name" io.khoa.Duplicate \
	io.khoa.Organizations.Update "{\"id\":$other,\"parent_id\":$province}"
khoa org create --name "Sở Tài chính" --parent "$province" 2>"$TMP/err" || true
check_contains "khoa says which" "organization $finance has this name already" "$(cat "$TMP/err")"
page_refusals "Organizations.List" call io.khoa.Organizations.List

# Every token was recorded as unregistered on first sight.
call io.khoa.Tokens.List >"$TMP/out"
check_eq "first sighting: unregistered" unregistered \
	"$(j '[.tokens[].registration.status] | unique | join(",")')"
huong=$(token_serial "Nguyen Thi Huong")
org_token=$(token_serial "Van phong UBND")

# Registration: the token's serial and certificates come from the device.
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":$huong_id}" >"$TMP/out"
check_eq "registered" registered "$(j .token.registration.status)"
check_eq "holder" "Nguyễn Thị Hường" "$(j .token.registration.holder.name)"
check_eq "holder's agency" "Sở Tài chính" "$(j .token.registration.holder.organization)"
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$province}" >"$TMP/out"
check_eq "organization token" organization "$(j .token.registration.holder.kind)"
expect_error "registered twice refused" io.khoa.AlreadyRegistered io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":$huong_id}"
expect_error "a token not present cannot be registered" io.khoa.NoSuchToken io.khoa.Tokens.Register "{\"serial\":\"0000000000000000\",\"person_id\":$huong_id}"
expect_error "both holders at once refused" io.khoa.InvalidField io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"person_id\":1,\"organization_id\":1}"

# A replaced certificate: the token no longer matches its registration.
p11 --token-label "Nguyen Thi Huong" --login --pin 1234 --delete-object --type cert --id 01 >/dev/null
p11 --token-label "Nguyen Thi Huong" --login --pin 1234 --write-object "$(ls "$TMP"/fx/certs/Tran*-01.pem | head -n1)" \
	--type cert --id 01 --label replaced >/dev/null 2>&1 ||
	{ openssl x509 -in "$(ls "$TMP"/fx/certs/Tran*-01.pem | head -n1)" -outform DER -out "$TMP/other.der"
	  p11 --token-label "Nguyen Thi Huong" --login --pin 1234 --write-object "$TMP/other.der" --type cert --id 01 --label replaced >/dev/null; }
call io.khoa.Tokens.Rescan >/dev/null
call io.khoa.Tokens.Get "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "mismatch flagged on the token" true "$(j .token.registration.mismatch)"
# token_certs (0013): seen_certs a row each, the replaced one gone
check_eq "  the certificates each token carries, as rows: those of seen_certs, no other" 0 \
	"$(registry_sql "SELECT count(*) FROM tokens t WHERE (SELECT count(*) FROM token_certs tc
		WHERE tc.token_serial = t.serial) <> CASE WHEN t.seen_certs = '' THEN 0
		ELSE length(t.seen_certs) - length(replace(t.seen_certs, ',', '')) + 1 END
		OR EXISTS (SELECT 1 FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id
		WHERE tc.token_serial = t.serial AND ',' || t.seen_certs || ',' NOT LIKE '%,' || c.sha256 || ',%')")"
check_eq "  Hường's token: one row, the new certificate" \
	"1 $(registry_sql "SELECT seen_certs FROM tokens WHERE serial = '$huong'")" \
	"$(registry_sql "SELECT count(*), min(c.sha256) FROM token_certs tc JOIN certificates c
		ON c.id = tc.certificate_id WHERE tc.token_serial = '$huong'" | tr '|' ' ')"
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "history: appeared, registered, certificates changed, mismatch" \
	"token.appeared token.registered token.certificates_changed token.mismatch" "$(j '[.events[].type] | join(" ")')"
check_eq "mismatch names the certificate expected" \
	"$(sed -n 's/^Nguyen Thi Huong\t[^\t]*\t[^\t]*\t\([^\t]*\).*/\1/p' "$TMP/fx/manifest.tsv")" \
	"$(j '.events[] | select(.type == "token.mismatch") | .details.expected[0]')"
check_eq "registration names who did it" "$(id -un)" "$(j '.events[] | select(.type == "token.registered") | .actor.user')"
call io.khoa.Tokens.ConfirmBinding "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "a technician confirms the new binding" false "$(j .token.registration.mismatch)"
expect_error "nothing left to confirm" io.khoa.NoMismatch io.khoa.Tokens.ConfirmBinding "{\"serial\":\"$huong\"}"

call io.khoa.Tokens.Unregister "{\"serial\":\"$org_token\",\"reason\":\"trả lại\"}" >/dev/null
call io.khoa.Tokens.Get "{\"serial\":\"$org_token\"}" >"$TMP/out"
check_eq "unregistered" unregistered "$(j .token.registration.status)"
expect_error "unregistered twice refused" io.khoa.NotRegistered io.khoa.Tokens.Unregister "{\"serial\":\"$org_token\"}"
# A token no workstation has seen is unknown to the registry, which is not
# the same as not present on this desk (NoSuchToken).
expect_error "history of a token never seen" io.khoa.UnknownToken io.khoa.Tokens.History '{"serial":"0000000000000000"}'
expect_error "unregistering a token never seen" io.khoa.UnknownToken io.khoa.Tokens.Unregister '{"serial":"0000000000000000"}'
expect_error "the custody of a token never seen" io.khoa.UnknownToken io.khoa.Custody.Get '{"serial":"0000000000000000"}'

# The record survives a restart.
stop_khoad
start_khoad
call io.khoa.Tokens.Get "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "after a restart: still registered to her" "Nguyễn Thị Hường" "$(j .token.registration.holder.name)"
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "after a restart: no new appearance for a token that stayed" 1 \
	"$(j '[.events[] | select(.type == "token.appeared")] | length')"

# kill -9 in the middle of a burst: what was answered is kept, nothing is
# half-written (each person has its person.created event, and no more).
python3 "$SOURCE_ROOT/tests/integration/writer.py" "$SOCK" "$TMP/acked" 100000000 2000 &
burst=$!
acked() { [ "$(wc -l <"$TMP/acked" 2>/dev/null || echo 0)" -ge "$1" ]; }
wait_until acked 50 && ok "the burst is under way: 50 changes answered" ||
	not_ok "the burst is under way: 50 changes answered"
kill -9 "$KHOAD_PID"
wait "$KHOAD_PID" 2>/dev/null || true
KHOAD_PID=
wait "$burst" || true
start_khoad
khoa --json person list >"$TMP/out"	# every page
ids=$(j '[.people[].id] | map(tostring) | join(" ")')
lost=0
while read -r id; do [[ " $ids " == *" $id "* ]] || lost=$((lost + 1)); done <"$TMP/acked"
check_eq "every answered change survived kill -9 ($(wc -l <"$TMP/acked") answered)" 0 "$lost"
# One more person, made now: its event is the last, so the stored events are
# all read once a watcher has it.
call io.khoa.People.Create '{"full_name":"Cán bộ sau khi khởi động lại","id_number":"199999999"}' >/dev/null
khoa --json person list >"$TMP/out"
watch_to "$TMP/events"
watcher=$!
wait_for_line "$TMP/events" 'Cán bộ sau khi khởi động lại' || true
kill "$watcher" 2>/dev/null || true
check_eq "each person stored has its event, none without" "$(j '[.people[].id] | sort | join(" ")')" \
	"$(jq -rs '[.[].event | select(.type == "person.created") | .details.id] | sort | join(" ")' "$TMP/events")"

# A newer schema than this khoad knows is refused, with a clear message.
stop_khoad
registry_sql "INSERT INTO schema_migrations VALUES (99, '9999-future.sql', '2030-01-01T00:00:00Z')"
check_status "a newer schema is refused" 1 "$KHOAD" --socket "$TMP/x.sock" \
	--module "$SOFTHSM2_MODULE" --state-dir "$TMP/state" --config "$TMP/khoad.conf" \
	"${REGISTRY_ARGS[@]}"
check_contains "the refusal says why" "schema version 99, newer than" "$(cat "$TMP/err")"

done_testing
