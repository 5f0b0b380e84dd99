#!/usr/bin/env bash
# Revocation due (issue 16, item 7): a change of a person's position or
# agency (R-REVOKE-PERSON), a rename or reorganization of an organization
# (R-REVOKE-ORG), an expiry: the certificates are listed by khoa due with
# the rule, raised as certificate.revocation_due, until a revocation
# request is filed; tokens revoked and not handed back are listed, and
# token.return_overdue raised once after the profile's return-days.
. "$(dirname "$0")/lib.sh"

as_roles
make_tokens
printf '\n[rules]\nreturn-days = 0\n' >>"$TMP/khoad.conf"
start_khoad
call io.khoa.Tokens.List >/dev/null	# after the first scan

huong=$(token_serial "Nguyen Thi Huong")
vy=$(token_serial "Le Quang Vy")
org_token=$(token_serial "Van phong UBND")
serial_of() { openssl x509 -in "$TMP/fx/certs/$1-01.pem" -noout -serial | sed 's/^serial=//'; }
huong_cert=$(serial_of Nguyen_Thi_Huong)
vy_cert=$(serial_of Le_Quang_Vy)
org_cert=$(serial_of Van_phong_UBND)
call io.khoa.Organizations.Create '{"name":"Sở Tài chính"}' >"$TMP/out"
finance=$(j .organization.id)
call io.khoa.Organizations.Create '{"name":"Sở Tư pháp"}' >"$TMP/out"
justice=$(j .organization.id)
call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh"}' >"$TMP/out"
office=$(j .organization.id)
person() {
	call io.khoa.People.Create "{\"full_name\":\"$1\",\"id_number\":\"$2\",\"organization_id\":$finance,\"position\":\"Chuyên viên\"}" >"$TMP/out"
	j .person.id
}
huong_id=$(person "Nguyễn Thị Hường" 034186000123)
vy_id=$(person "Lê Quang Vỹ" 034186000124)
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":$huong_id}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$vy\",\"person_id\":$vy_id}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$office}" >/dev/null

due() { call io.khoa.Expiry.Due | jq -r '[.due[] | "\(.certificate_serial) \(.reason) \(.rule)"] | sort | join(", ")'; }
check_eq "at first: Vỹ's expired certificate only" "$vy_cert expired R-REVOKE-PERSON" "$(due)"

# khoa tray in Hường's session tells her what is due (issue 16)
"$KHOA" --socket "$SOCK" tray --no-notify --serial "$huong" >"$TMP/tray" 2>"$TMP/tray.err" &
tray=$!
wait_for_line "$TMP/tray.err" Watching

# ----- R-REVOKE-PERSON: a change of position
call io.khoa.People.Update "{\"id\":$huong_id,\"full_name\":\"Nguyễn Thị Hường\"}" >/dev/null
check_eq "an update that changes neither agency nor position: nothing due" "$vy_cert expired R-REVOKE-PERSON" "$(due)"
call io.khoa.People.Update "{\"id\":$huong_id,\"position\":\"Phó Giám đốc\"}" >/dev/null
check_eq "a new position: her certificate due (R-REVOKE-PERSON)" \
	"$(printf '%s\n' "$huong_cert title-change R-REVOKE-PERSON" "$vy_cert expired R-REVOKE-PERSON" | sort | paste -sd, | sed 's/,/, /g')" \
	"$(due)"
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "  raised as certificate.revocation_due, with its actor" "$huong_cert title-change R-REVOKE-PERSON root" \
	"$(j '.events[] | select(.type == "certificate.revocation_due") | "\(.details.serial) \(.details.reason) \(.details.rule) \(.actor.user)"')"
wait_for_line "$TMP/tray" "due for revocation" || true
check_contains "  khoa tray tells its holder, in the event's sentence, with the command to file" \
	"root's change makes certificate $huong_cert on token $huong due for revocation: change of title or position (R-REVOKE-PERSON). File the request: khoa request new revoke $huong" \
	"$(cat "$TMP/tray")"
kill "$tray"
call io.khoa.People.Update "{\"id\":$huong_id,\"organization_id\":$justice}" >/dev/null
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "  then a transfer: still one due, the first reason kept, raised once" "1" \
	"$(j '[.events[] | select(.type == "certificate.revocation_due")] | length')"
khoa due >"$TMP/shown"
check_contains "khoa due lists it with the reason in words" "change of title or position" "$(cat "$TMP/shown")"
check_contains "  and the rule" "R-REVOKE-PERSON" "$(cat "$TMP/shown")"
LANGUAGE=vi khoa due >"$TMP/shown"
check_contains "  in Vietnamese" "thay đổi chức danh, chức vụ" "$(cat "$TMP/shown")"

# ----- counted until a revocation request is filed
call io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$huong\",\"reason\":\"title-change\"}" >"$TMP/out"
revoke=$(j .request.id)
check_eq "a revocation request filed: no longer due" "$vy_cert expired R-REVOKE-PERSON" "$(due)"
as_technician io.khoa.Requests.Reject "{\"id\":$revoke,\"note\":\"Thiếu văn bản\"}" >/dev/null
check_contains "  rejected: due again" "$huong_cert title-change" "$(due)"
# Filed for the person alone, the device away (issue 16): her one
# certificate, from the registry's record.
for d in "$TMP"/fx/tokens/*/; do grep -qs "$huong" "$d"/token.object && mv "$d" "$TMP/away" && break; done
khoa rescan >/dev/null
khoa request new revoke --person "$huong_id" --reason title-change >"$TMP/shown"
check_contains "khoa request new revoke --person, the token away: filed for her certificate" \
	"$huong_cert" "$(cat "$TMP/shown")"
check_contains "  from the record, saying so" "Not present now: last read from the device" \
	"$(cat "$TMP/shown")"
check_eq "  no longer due" "" "$(due | grep -o "$huong_cert" || true)"
mv "$TMP/away" "$TMP/fx/tokens/"
khoa rescan >/dev/null

# ----- R-REVOKE-ORG: a rename, a reorganization recorded as such
call io.khoa.Organizations.Update "{\"id\":$office,\"reorganized\":\"bankrupt\"}" >"$TMP/out" || true
check_eq "a reorganization that is none of the regulation's" "io.khoa.InvalidField reorganized" \
	"$(j '"\(.error) \(.parameters.field)"')"
call io.khoa.Organizations.Update "{\"id\":$office,\"name\":\"Văn phòng UBND tỉnh Thái Bình\"}" >/dev/null
check_contains "a rename: the organization's certificate due (R-REVOKE-ORG)" "$org_cert rename R-REVOKE-ORG" "$(due)"
before=$(call io.khoa.Expiry.Due | jq '.due | length')
khoa org update "$finance" --reorganized merge >/dev/null
check_eq "a merger of an agency holding no token (its people's are theirs): nothing more" "$before" \
	"$(call io.khoa.Expiry.Due | jq '.due | length')"

# ----- revoked and not handed back (Điều 13.4)
call io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$vy\",\"reason\":\"expired\"}" >"$TMP/out"
revoke=$(j .request.id)
as_clerk io.khoa.Requests.Confirm "{\"id\":$revoke}" >/dev/null
as_technician io.khoa.Requests.Submit "{\"id\":$revoke}" >/dev/null
as_admin io.khoa.Requests.Forward "{\"id\":$revoke}" >/dev/null
as_technician io.khoa.Requests.Done "{\"id\":$revoke}" >/dev/null
call io.khoa.Expiry.Due >"$TMP/out"
check_eq "revoked: no longer due, its token listed as not handed back, 0 days" "$vy $vy_cert 0 0" \
	"$(j '"\(.unreturned[0].token_serial) \(.unreturned[0].certificate_serial) \(.unreturned[0].days) \(.return_days)"')"
khoa rescan >/dev/null	# the daily check runs after a scan that follows a change
call io.khoa.Tokens.History "{\"serial\":\"$vy\"}" >"$TMP/out"
check_eq "after return-days (0 here): token.return_overdue, once" "1 $revoke" \
	"$(j '[.events[] | select(.type == "token.return_overdue")] | "\(length) \(.[0].details.request_id)"')"
khoa rescan >/dev/null
call io.khoa.Tokens.History "{\"serial\":\"$vy\"}" >"$TMP/out"
check_eq "  not again" 1 "$(j '[.events[] | select(.type == "token.return_overdue")] | length')"
khoa due >"$TMP/shown"
check_contains "khoa due lists it" "not handed back to Sở TT&TT" "$(cat "$TMP/shown")"
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":$vy_id},\"receiver\":{\"name\":\"Sở Thông tin và Truyền thông\"},\"reason\":\"revocation-return\",\"serials\":[\"$vy\"]}" >"$TMP/out"
call io.khoa.Handovers.Finalize "{\"id\":$(j .handover.id)}" >/dev/null
check_eq "handed back on finalized minutes: no longer listed" 0 \
	"$(call io.khoa.Expiry.Due | jq '.unreturned | length')"

stop_khoad
done_testing
