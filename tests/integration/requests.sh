#!/usr/bin/env bash
# Certificate lifecycle requests (io.khoa.Requests: new, renew, revoke,
# re-issue; R-NEW, R-RENEW-*, R-REVOKE-*, R-REISSUE, R-VALIDITY-*, R-ELIG)
# through the real daemon: the regulation's rules checked at filing, each
# refusal io.khoa.RuleViolation naming the rule; the steps filed → confirmed
# → submitted → forwarded → done with their roles, each by another person
# than the step before, never by the filer where four eyes (R-RENEW-APPROVE)
# forbid it; Count for Mẫu 07.
. "$(dirname "$0")/lib.sh"

as_roles

make_tokens
start_khoad

expect() {
	local who=$1 desc=$2 want=$3 param=$4
	shift 4
	"$who" "$@" >"$TMP/out" || true
	check_eq "$desc" "$want" "$(j "\"\\(.error // \"no error\") \\(.parameters.$param // \"\")\"")"
}
# The steps to done, as their roles: a request root filed, walked by three
# other people.
to_done() {
	as_clerk io.khoa.Requests.Confirm "{\"id\":$1}" >/dev/null
	as_technician io.khoa.Requests.Submit "{\"id\":$1}" >/dev/null
	as_admin io.khoa.Requests.Forward "{\"id\":$1}" >/dev/null
	as_technician io.khoa.Requests.Done "{\"id\":$1}" >"$TMP/out"
}
year=$(date -u +%Y)

# ----- the registry
call io.khoa.Organizations.Create '{"name":"Sở Tài chính"}' >"$TMP/out"
finance=$(j .organization.id)
call io.khoa.People.Create "{\"full_name\":\"Nguyễn Thị Hường\",\"id_number\":\"034186000123\",\"birth_date\":\"12/03/1986\",\"organization_id\":$finance,\"position\":\"Phó Giám đốc\"}" >"$TMP/out"
huong_id=$(j .person.id)
huong=$(token_serial "Nguyen Thi Huong")
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":$huong_id}" >/dev/null
call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh Thái Bình"}' >"$TMP/out"
office=$(j .organization.id)
org_token=$(token_serial "Van phong UBND")
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$office}" >/dev/null
call io.khoa.People.Create "{\"full_name\":\"Trần Văn Đức\",\"id_number\":\"034085000456\",\"birth_date\":\"01/02/1985\",\"organization_id\":$finance,\"position\":\"Giám đốc\"}" >"$TMP/out"
duc_id=$(j .person.id)
# The official (the unprivileged caller) is Đức, by his login: he files for
# himself (access.sh tries everyone else).
call io.khoa.People.Update "{\"id\":$duc_id,\"logins\":[\"nobody\"]}" >/dev/null

# ----- new (R-ELIG, R-VALIDITY-10Y)
expect call "11 years for a new certificate refused" "io.khoa.RuleViolation R-VALIDITY-10Y" rule \
	io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$duc_id,\"requested_years\":11}"
check_contains "the message states the rule" "R-VALIDITY-10Y" "$(j .parameters.message)"
as_official io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$duc_id,\"requested_years\":10}" >"$TMP/out"
new_id=$(j .request.id)
check_eq "a new certificate for a person, 10 years" "new|person|Trần Văn Đức|10|filed|nobody" \
	"$(j '.request | "\(.kind)|\(.subject_kind)|\(.subject_name)|\(.requested_years)|\(.state)|\(.filed_by)"')"
expect call "an unknown kind" "io.khoa.InvalidField kind" field \
	io.khoa.Requests.New "{\"kind\":\"extend\",\"person_id\":$duc_id}"
expect call "no subject" "io.khoa.InvalidField person_id" field \
	io.khoa.Requests.New '{"kind":"new"}'
expect call "a person not in the registry" "io.khoa.NoSuchPerson 9999" id \
	io.khoa.Requests.New '{"kind":"new","person_id":9999}'

# ----- renew (R-RENEW-60D, R-RENEW-ONCE, read from the device)
expect call "renewal with 30 days left refused" "io.khoa.RuleViolation R-RENEW-60D" rule \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$org_token\"}"
check_contains "the message counts the days" "30 days" "$(j .parameters.message)"
expect call "renewal needs the token present" "io.khoa.NoSuchToken 0000000000000000" serial \
	io.khoa.Requests.New '{"kind":"renew","serial":"0000000000000000"}'
expect call "a token registered to someone else" "io.khoa.InvalidField serial" field \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"person_id\":$duc_id}"
expect call "renewal needs a token at all" "io.khoa.InvalidField serial" field \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"person_id\":$huong_id}"
expect call "a renewal for 20 years refused (issue 16, H5)" "io.khoa.RuleViolation R-VALIDITY-10Y" rule \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"requested_years\":20}"
expect call "  for 11, the boundary" "io.khoa.RuleViolation R-VALIDITY-10Y" rule \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"requested_years\":11}"
call io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"requested_years\":5}" >"$TMP/out"
renew_id=$(j .request.id)
pem="$TMP/fx/certs/Nguyen_Thi_Huong-01.pem"
cert_serial=$(openssl x509 -in "$pem" -noout -serial | sed 's/^serial=//')
check_eq "3 years left: renewal filed, subject the token's holder" "renew|person|$huong_id|Nguyễn Thị Hường|filed" \
	"$(j '.request | "\(.kind)|\(.subject_kind)|\(.person_id)|\(.subject_name)|\(.state)"')"
check_eq "the certificate read from the device" "$huong|$cert_serial" \
	"$(j '.request | "\(.token_serial)|\(.certificate_serial)"')"
check_eq "its expiry date" "$(date -u -d "$(openssl x509 -in "$pem" -noout -enddate | sed 's/^notAfter=//')" +%F)" \
	"$(j .request.certificate_not_after)"
call io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"${huong^^}\",\"certificate_serial\":\"${cert_serial,,}\"}" >"$TMP/out" || true
check_eq "  serials typed in another case are the device's: the open renewal is named (issue 17)" \
	"io.khoa.Duplicate $renew_id" "$(j '"\(.error) \(.parameters.id)"')"
expect call "one open request a certificate and kind: a second renewal refused, naming the first (issue 16)" \
	"io.khoa.Duplicate $renew_id" id \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"requested_years\":5}"
check_eq "  for what they share" certificate_serial "$(j .parameters.field)"
khoa request new renew "$huong" --years 5 2>"$TMP/err" || true
check_contains "  khoa says which, and how to see it" "khoa request show $renew_id" "$(cat "$TMP/err")"

# ----- the transition path, with the roles
expect as_official "confirm needs the clerk" "io.khoa.PermissionDenied clerk" role \
	io.khoa.Requests.Confirm "{\"id\":$renew_id}"
expect as_technician "not submitted before it is confirmed" "io.khoa.BadTransition filed" state \
	io.khoa.Requests.Submit "{\"id\":$renew_id}"
check_contains "the message says from where" "only when it is confirmed" "$(j .parameters.message)"
as_clerk io.khoa.Requests.Confirm "{\"id\":$renew_id,\"note\":\"Đủ hồ sơ\"}" >"$TMP/out"
check_eq "confirmed by the clerk" confirmed "$(j .request.state)"
expect as_clerk "confirmed twice refused" "io.khoa.BadTransition confirmed" state \
	io.khoa.Requests.Confirm "{\"id\":$renew_id}"
as_technician io.khoa.Requests.Submit "{\"id\":$renew_id}" >"$TMP/out"
check_eq "submitted by a technician" submitted "$(j .request.state)"
expect as_technician "forward needs the admin" "io.khoa.PermissionDenied admin" role \
	io.khoa.Requests.Forward "{\"id\":$renew_id}"
expect call "root filed it: root may not forward it (four eyes)" "io.khoa.PermissionDenied four-eyes" reason \
	io.khoa.Requests.Forward "{\"id\":$renew_id}"
check_eq "  naming the role the step needs" admin "$(j .parameters.role)"
check_contains "  and why" "root filed certificate request $renew_id" "$(j .parameters.message)"
as_admin io.khoa.Requests.Forward "{\"id\":$renew_id}" >"$TMP/out"
check_eq "forwarded by an admin" forwarded "$(j .request.state)"
expect call "cancel refused once it left the agency" "io.khoa.BadTransition forwarded" state \
	io.khoa.Requests.Cancel "{\"id\":$renew_id,\"note\":\"nhầm\"}"
as_technician io.khoa.Requests.Done "{\"id\":$renew_id}" >"$TMP/out"
check_eq "done, each step in the history" "done|confirm,submit,forward,done|Đủ hồ sơ" \
	"$(j '.request | "\(.state)|\([.history[].action] | join(","))|\(.history[0].note)"')"
check_eq "filed by root, walked by three other people" "root: lp news uucp news" \
	"$(j '.request | "\(.filed_by): \([.history[].user] | join(" "))"')"
expect as_technician "done twice refused" "io.khoa.BadTransition done" state \
	io.khoa.Requests.Done "{\"id\":$renew_id}"
expect call "a second renewal of the same certificate" "io.khoa.RuleViolation R-RENEW-ONCE" rule \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\"}"
expect call "no such request" "io.khoa.NoSuchRequest 9999" id io.khoa.Requests.Get '{"id":9999}'

# Four eyes: one person, whatever their roles, takes no two approval steps
# in a row.
as_admin io.khoa.Requests.Confirm "{\"id\":$new_id}" >"$TMP/out"
check_eq "an admin may confirm" confirmed "$(j .request.state)"
expect as_admin "but not submit next" "io.khoa.PermissionDenied four-eyes" reason \
	io.khoa.Requests.Submit "{\"id\":$new_id}"
check_eq "  naming the role the step needs" technician "$(j .parameters.role)"
check_contains "  and why" "uucp took the previous approval step of certificate request $new_id" \
	"$(j .parameters.message)"
call io.khoa.Requests.Get "{\"id\":$new_id}" >"$TMP/out"
check_eq "  the request did not move" "confirmed 1" "$(j '"\(.request.state) \(.request.history | length)"')"

# Reject and cancel need a note; the filer may cancel.
expect as_technician "reject needs a note" "io.khoa.InvalidField note" field \
	io.khoa.Requests.Reject "{\"id\":$new_id,\"note\":\" \"}"
as_official io.khoa.Requests.Cancel "{\"id\":$new_id,\"note\":\"Đã có chứng thư\"}" >"$TMP/out"
check_eq "the filer cancels before it leaves the agency" cancelled "$(j .request.state)"

# ----- revoke (R-REVOKE-ORG, R-REVOKE-PERSON)
expect call "a person's reason for an organization" "io.khoa.RuleViolation R-REVOKE-ORG" rule \
	io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$org_token\",\"reason\":\"retirement\"}"
expect call "a revocation without a reason" "io.khoa.RuleViolation R-REVOKE-PERSON" rule \
	io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$huong\"}"

# ----- reissue (R-REISSUE): only after a done revocation
expect call "re-issue before revocation refused" "io.khoa.RuleViolation R-REISSUE" rule \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"organization_id\":$office,\"reason\":\"rename\"}"
call io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$org_token\",\"reason\":\"rename\"}" >"$TMP/out"
revoke_id=$(j .request.id)
check_eq "a revocation filed for the organization" "revoke|organization|$office|rename" \
	"$(j '.request | "\(.kind)|\(.subject_kind)|\(.organization_id)|\(.reason)"')"
expect call "re-issue while the revocation is open refused" "io.khoa.RuleViolation R-REISSUE" rule \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"organization_id\":$office,\"reason\":\"rename\"}"
to_done "$revoke_id"
check_eq "the revocation done" done "$(j .request.state)"
expect call "a revoked certificate is not revoked again (issue 16, H3)" "io.khoa.RuleViolation R-REVOKE-ORG" rule \
	io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$org_token\",\"reason\":\"rename\"}"
expect call "nor renewed: it is re-issued (issue 16, H3)" "io.khoa.RuleViolation R-REISSUE" rule \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$org_token\"}"
expect call "re-issue for a reason not listed" "io.khoa.RuleViolation R-REISSUE" rule \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"organization_id\":$office,\"reason\":\"retirement\"}"
call io.khoa.Requests.New "{\"kind\":\"reissue\",\"organization_id\":$office,\"reason\":\"rename\"}" >"$TMP/out"
check_eq "re-issue after the revocation allowed" "reissue|filed" "$(j '.request | "\(.kind)|\(.state)"')"
reissue_id=$(j .request.id)
expect call "root may not confirm a request it filed" "io.khoa.PermissionDenied four-eyes" reason \
	io.khoa.Requests.Confirm "{\"id\":$reissue_id}"
check_contains "  and why" "root filed certificate request $reissue_id" "$(j .parameters.message)"
as_technician io.khoa.Requests.Reject "{\"id\":$reissue_id,\"note\":\"Thiếu công văn\"}" >"$TMP/out"
check_eq "rejected by a technician with a note" "rejected|Thiếu công văn" \
	"$(j '.request | "\(.state)|\(.history[-1].note)"')"

# ----- events
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "the token's history carries the renewal's steps" \
	"lifecycle_request.filed lifecycle_request.confirmed lifecycle_request.submitted lifecycle_request.forwarded lifecycle_request.done" \
	"$(j '[.events[] | select(.type | startswith("lifecycle_request.")) | .type] | join(" ")')"
check_eq "an event names the request, its kind and state" "$renew_id renew confirmed Đủ hồ sơ" \
	"$(j '.events[] | select(.type == "lifecycle_request.confirmed") | "\(.details.id) \(.details.kind) \(.details.state) \(.details.note)"')"

# ----- reading: List, Count (Mẫu 07)
call io.khoa.Requests.List '{"kind":"renew"}' >"$TMP/out"
check_eq "list by kind" "1|$renew_id" "$(j '"\(.requests | length)|\(.requests[0].id)"')"
call io.khoa.Requests.List "{\"state\":\"done\",\"year\":$year}" >"$TMP/out"
check_eq "list by state and year" "2" "$(j '.requests | length')"
# A page at a time (issue 15): a request a page, the pages together the
# list, newest first, the last page without next.
call io.khoa.Requests.List >"$TMP/out"
check_eq "List a page at a time: the list, the last page without next" \
	"$(j '[.requests[].id] | map(tostring) | join(" ")') |$(j '.requests | length')" \
	"$(page_through call io.khoa.Requests.List '{}' '[.requests[].id] | map(tostring) | join(" ")')"
check_eq "List by state and year a page at a time" "2" \
	"$(page_through call io.khoa.Requests.List "{\"state\":\"done\",\"year\":$year}" .requests[].id \
		| cut -d'|' -f2)"
page_refusals "Requests.List" call io.khoa.Requests.List
call io.khoa.Requests.Count "{\"year\":$year}" >"$TMP/out"
check_eq "count this year" 4 "$(j .count)"
call io.khoa.Requests.Count "{\"year\":$year,\"kind\":\"revoke\"}" >"$TMP/out"
check_eq "count by kind" 1 "$(j .count)"
call io.khoa.Requests.Count "{\"year\":$year,\"subject_kind\":\"organization\"}" >"$TMP/out"
check_eq "count by subject kind" 2 "$(j .count)"
call io.khoa.Requests.Count "{\"year\":$((year - 1))}" >"$TMP/out"
check_eq "none last year" 0 "$(j .count)"
expect call "count of an unknown kind" "io.khoa.InvalidField kind" field \
	io.khoa.Requests.Count "{\"year\":$year,\"kind\":\"x\"}"

done_testing
