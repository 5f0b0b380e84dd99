#!/usr/bin/env bash
# Moving in: khoad --import-sqlite copies an agency's standalone registry
# into the province's PostgreSQL one under new ids (the events' ids of
# people and organizations with them), matches what both hold alike, lists
# and refuses what they hold differently, and copies nothing the second
# time. Always on PostgreSQL, so once, in the default run.
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ]; then
	echo "1..0 # SKIP on PostgreSQL in every run already"
	exit 0
fi
KHOA_TEST_REGISTRY=postgresql
. "$(dirname "$0")/lib.sh"

url=${REGISTRY_ARGS[1]}
make_tokens
huong=$(token_serial "Nguyen Thi Huong")
seal=$(token_serial "Van phong UBND")

# ----- the province's registry: Sở TT&TT, and Sở Tài chính (tax code known)
start_khoad --workstation stttt
call io.khoa.Organizations.Create '{"name":"Sở Thông tin và Truyền thông"}' >/dev/null
call io.khoa.Organizations.Create '{"name":"Sở Tài chính","tax_code":"0100109106"}' >"$TMP/out"
province_finance=$(j .organization.id)
stop_khoad

# ----- the agency's standalone registry (SQLite), used for a while
standalone=$TMP/standalone
REGISTRY_ARGS=()
start_khoad --state-dir "$standalone" --workstation vt-taichinh-01
make_agencies
call io.khoa.Organizations.Update "{\"id\":$finance,\"tax_code\":\"0100109106\"}" >/dev/null
khoa register "$huong" --holder "$huong_id" >/dev/null
khoa register "$seal" --org "$office" >/dev/null
# what the forms ask of them (issue 17), in tables of their own (0020)
khoa person update "$huong_id" --sex Nữ --birth-place "Vũ Thư" --fax 02273831234 >/dev/null
khoa org update "$finance" --manager "$huong_id" --managing-body "UBND tỉnh Thái Bình" >/dev/null
check_status "  the standalone registry in use: a khoad on it refuses an import" 1 \
	"$KHOAD" --registry "$url" --import-sqlite "$standalone"
check_contains "  in words" "a khoad is running on this registry; stop it first" "$(cat "$TMP/err")"
stop_khoad
REGISTRY_ARGS=(--registry "$url")
db() { sqlite3 "$standalone/registry.db" "$1"; }

# ----- the import
last=$(registry_sql "SELECT max(id) FROM events")
sum=$(sha256sum <"$standalone/registry.db")
check_status "khoad --import-sqlite" 0 "$KHOAD" --registry "$url" --import-sqlite "$standalone"
out=$(cat "$TMP/out")
sed 's/^/# /' "$TMP/out"
check_contains "  says where it went" "Imported $standalone into postgresql://" "$out"
check_contains "  Sở Tài chính matched by its tax code" "organizations: 1 copied, 1 already there" "$out"
check_contains "  the people copied" "people: 3 copied, 0 already there" "$out"
tables="people person_logins certificates tokens token_certs holders bindings"
for t in $tables; do
	check_eq "  $t: every row is in the registry" "$(db "SELECT count(*) FROM $t")" \
		"$(registry_sql "SELECT count(*) FROM $t")"
done
check_eq "  one Sở Tài chính, the registry's" "1 $province_finance" \
	"$(registry_sql "SELECT count(*), min(id) FROM organizations WHERE tax_code = '0100109106'" | tr '|' ' ')"
check_eq "  Hường under her new id, in Sở Tài chính" "Nguyễn Thị Hường $province_finance" \
	"$(registry_sql "SELECT p.full_name, p.organization_id FROM people p WHERE id_number = '034186000123'" | tr '|' ' ')"
check_eq "  her details with her, under her new id" "female Vũ Thư 02273831234" \
	"$(registry_sql "SELECT d.sex, d.birth_place, d.fax FROM person_details d JOIN people p ON p.id = d.person_id WHERE p.id_number = '034186000123'" | tr '|' ' ')"
check_eq "  the matched Sở Tài chính takes its managing body and its manager, by her new id" \
	"UBND tỉnh Thái Bình Nguyễn Thị Hường" \
	"$(registry_sql "SELECT od.managing_body, p.full_name FROM organization_details od JOIN people p ON p.id = od.manager_id WHERE od.organization_id = $province_finance" | tr '|' ' ')"
check_eq "  her token held by her new id" "Nguyễn Thị Hường" \
	"$(registry_sql "SELECT p.full_name FROM holders h JOIN people p ON p.id = h.person_id WHERE h.token_serial = '$huong' AND h.valid_to IS NULL")"
check_eq "  the events' ids follow the rows: each person.created names its person" \
	"$(db "SELECT count(*) FROM people")" \
	"$(registry_sql "SELECT count(*) FROM events e JOIN people p ON p.id = (e.details::json->>'id')::bigint AND p.full_name = e.details::json->>'full_name' WHERE e.type = 'person.created'")"
check_eq "  and their organizations" "$(db "SELECT count(*) FROM people")" \
	"$(registry_sql "SELECT count(*) FROM events e JOIN people p ON p.id = (e.details::json->>'id')::bigint AND p.organization_id = (e.details::json->>'organization_id')::bigint WHERE e.type = 'person.created'")"
check_eq "  the events after the registry's own, in their order" \
	"$(db "SELECT group_concat(type, ' ') FROM (SELECT type FROM events ORDER BY id)")" \
	"$(registry_sql "SELECT string_agg(type, ' ' ORDER BY id) FROM events WHERE id > $last")"
check_eq "  the source unchanged (a copy of it was brought up to date)" "$sum" \
	"$(sha256sum <"$standalone/registry.db")"

start_khoad --workstation stttt
khoa --json tokens --all >"$TMP/out"
check_eq "the province's khoad shows the imported tokens with their holders" "Nguyễn Thị Hường" \
	"$(jq -r --arg s "$huong" '.tokens[] | select(.serial == $s) | .holder.name' "$TMP/out")"
stop_khoad

# ----- again: a no-op
before=$(registry_sql "SELECT (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM people)")
check_status "the same registry imported again" 0 "$KHOAD" --registry "$url" --import-sqlite "$standalone/registry.db"
check_contains "  nothing new" "Nothing new to import: this registry was imported before." "$(cat "$TMP/out")"
check_contains "  each row from the earlier import" "people: 0 copied, 0 already there, 3 from an earlier import" "$(cat "$TMP/out")"
check_eq "  nothing written" "$before" \
	"$(registry_sql "SELECT (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM people)")"

# ----- another agency's registry that names the same things differently
other=$TMP/other
REGISTRY_ARGS=()
printf '[roles]\ntechnician = users\n' >"$TMP/khoad.conf"	# no clerks of the first registry
start_khoad --state-dir "$other" --workstation vt-khac
call io.khoa.Organizations.Create '{"name":"Sở Tài chính tỉnh Thái Bình","tax_code":"0100109106"}' >"$TMP/out"
org=$(j .organization.id)
call io.khoa.People.Create "{\"full_name\":\"Phạm Văn Khác\",\"id_number\":\"034099000999\",\"organization_id\":$org}" >"$TMP/out"
khoa register "$huong" --holder "$(j .person.id)" >/dev/null
stop_khoad
REGISTRY_ARGS=(--registry "$url")
check_status "a registry in conflict with the province's: refused" 1 \
	"$KHOAD" --registry "$url" --import-sqlite "$other"
out=$(cat "$TMP/out")
sed 's/^/# /' "$TMP/out"
check_contains "  the conflicts counted" "(2 conflicts); nothing was written:" "$out"
check_contains "  the tax code" "tax code 0100109106: organization #$org \"Sở Tài chính tỉnh Thái Bình\" here, #$province_finance \"Sở Tài chính\" in the registry" "$out"
check_contains "  the token's holder" "token $huong: held by \"Phạm Văn Khác\" here, by \"Nguyễn Thị Hường\" in the registry" "$out"
check_eq "  nothing written" "$before" \
	"$(registry_sql "SELECT (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM people)")"
check_status "  an address that is not a shared registry: refused" 1 \
	env -u KHOA_REGISTRY "$KHOAD" --state-dir "$TMP/x" --config /dev/null --import-sqlite "$other"
check_contains "  in words" "--import-sqlite moves a registry into a shared one" "$(cat "$TMP/err")"

done_testing
