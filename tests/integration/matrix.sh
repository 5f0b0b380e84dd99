#!/usr/bin/env bash
# Who may do what, as a table (issue 13): matrix.py calls every method of
# every interface as seven people and compares the answers with the table of
# README.md ("Who may do what"). This sets up the records it names.
. "$(dirname "$0")/lib.sh"

as_roles
printf '[roles]\ntechnician = users\n' >"$TMP/khoad.conf"
make_tokens
start_khoad

call io.khoa.Organizations.Create '{"name":"Sở Tài chính"}' >"$TMP/out"
finance=$(j .organization.id)
call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh"}' >"$TMP/out"
office=$(j .organization.id)
call io.khoa.People.Create "{\"full_name\":\"Nguyễn Thị Hường\",\"id_number\":\"034186000123\",\"organization_id\":$finance}" >"$TMP/out"
huong=$(j .person.id)
call io.khoa.People.Create "{\"full_name\":\"Trần Văn Đức\",\"id_number\":\"034087654321\",\"organization_id\":$office}" >"$TMP/out"
duc=$(j .person.id)
call io.khoa.People.Create "{\"full_name\":\"Đỗ Thị Mai\",\"id_number\":\"034190001234\",\"organization_id\":$finance}" >"$TMP/out"
mai=$(j .person.id)
call io.khoa.People.Update "{\"id\":$huong,\"logins\":[\"games\"]}" >/dev/null
call io.khoa.People.Update "{\"id\":$duc,\"logins\":[\"man\"]}" >/dev/null
call io.khoa.People.Update "{\"id\":$mai,\"logins\":[\"lp\"],\"clerk\":true}" >/dev/null
huong_token=$(token_serial "Nguyen Thi Huong")
org_token=$(token_serial "Van phong UBND")
call io.khoa.Tokens.Register "{\"serial\":\"$huong_token\",\"person_id\":$huong}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$finance}" >/dev/null
printf '[roles]\ntechnician = users\n\n[clerks]\nmail = %s\n' "$office" >"$TMP/khoad.conf"
kill -HUP "$KHOAD_PID"
wait_for_line "$TMP/khoad.log" "configuration reloaded"

setpriv --reuid="$(id -u games)" --regid="$(id -g games)" --clear-groups /usr/bin/python3 \
	"$TMP/call.py" "$SOCK" io.khoa.PinRequests.New "{\"serial\":\"$huong_token\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
pin_request=$(j .request.id)
setpriv --reuid="$(id -u games)" --regid="$(id -g games)" --clear-groups /usr/bin/python3 \
	"$TMP/call.py" "$SOCK" io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$huong,\"requested_years\":2}" >"$TMP/out"
request=$(j .request.id)
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":$huong},\"receiver\":{\"organization_id\":$finance},\"reason\":\"transfer\",\"serials\":[\"$huong_token\"]}" >"$TMP/out"
handover=$(j .handover.id)

jq -n --argjson finance "$finance" --argjson huong "$huong" --arg huong_token "$huong_token" \
	--arg org_token "$org_token" --argjson pin_request "$pin_request" \
	--argjson request "$request" --argjson handover "$handover" --argjson year "$(date -u +%Y)" \
	'$ARGS.named' >"$TMP/ids.json"
status=0
python3 "$SOURCE_ROOT/tests/integration/matrix.py" "$SOCK" "$SOURCE_ROOT/README.md" \
	"$TMP/ids.json" || status=$?
exit "$status"
