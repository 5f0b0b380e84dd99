#!/usr/bin/env bash
# Who may do what, as a table (issue 13): matrix.py calls every method of
# every interface as seven people and compares the answers with the table of
# README.md ("Who may do what"). This sets up the records it names.
. "$(dirname "$0")/lib.sh"

access_callers
make_tokens
start_khoad
make_agencies
huong=$huong_id
huong_token=$(token_serial "Nguyen Thi Huong")
org_token=$(token_serial "Van phong UBND")
call io.khoa.Tokens.Register "{\"serial\":\"$huong_token\",\"person_id\":$huong}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$finance}" >/dev/null

as_call games io.khoa.PinRequests.New "{\"serial\":\"$huong_token\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
pin_request=$(j .request.id)
as_call games io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$huong,\"requested_years\":2}" >"$TMP/out"
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
