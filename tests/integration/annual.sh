#!/usr/bin/env bash
# A year of a small agency, through the real daemon on real SoftHSM2 tokens,
# and its annual report (R-AGENCY-DUTIES, Điều 13.6; Mẫu 07) figure by
# figure: registrations; requests of every kind, one refused by each rule
# (R-VALIDITY-10Y, R-RENEW-60D, R-RENEW-ONCE, R-VALIDITY-5Y on a certificate
# from before Thông tư 08, R-REVOKE-ORG, R-REVOKE-PERSON, R-REISSUE); a
# renewal completed by the token coming back with its new certificate
# (serial witnessed by openssl); a revocation marking the certificate revoked
# and the token expected back on a handover; PIN-recovery requests; the
# figures the agency enters; the report-month reminder, raised once; filing.
. "$(dirname "$0")/lib.sh"

as_roles
make_tokens

refused() {	# refused DESC RULE METHOD PARAMS
	call "$3" "$4" >"$TMP/out" || true
	check_eq "$1" "io.khoa.RuleViolation $2" "$(j '"\(.error) \(.parameters.rule)"')"
}
# Root files; three other people confirm, submit and forward (four eyes,
# R-RENEW-APPROVE).
to_forwarded() {
	as_clerk io.khoa.Requests.Confirm "{\"id\":$1}" >/dev/null
	as_technician io.khoa.Requests.Submit "{\"id\":$1}" >/dev/null
	as_admin io.khoa.Requests.Forward "{\"id\":$1}" >/dev/null
}
to_done() {
	to_forwarded "$1"
	as_technician io.khoa.Requests.Done "{\"id\":$1}" >"$TMP/out"
}
count_type() { jq -r --arg t "$1" 'select(.event.type == $t) | .event.type' "$TMP/events" | wc -l; }
year=$(date +%Y)
month=$(date +%-m)

# The one certificate from before Thông tư 08/2016 (in force 17/03/2016):
# issued 01/06/2015, valid to the end of next year.
softhsm2-util --init-token --free --label "Do Van Cu" --so-pin 12345678 --pin 1234 >/dev/null
old_cert=$(issue_cert "$TMP/old" "Đỗ Văn Cũ" 2015-06-01 "$((year + 1))-12-31")
put_cert "Do Van Cu" "$TMP/old" 01

# The report month is this month, so that the reminder is due today.
printf '[rules]\nreport-month = %s\n' "$month" >>"$TMP/khoad.conf"
start_khoad

# ----- the agency and its people, their tokens registered
call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh Thái Bình"}' >"$TMP/out"
office=$(j .organization.id)
call io.khoa.Organizations.Create '{"name":"Sở Tài chính"}' >"$TMP/out"
finance=$(j .organization.id)
person() {	# person NAME ID_NUMBER BIRTH POSITION
	call io.khoa.People.Create "{\"full_name\":\"$1\",\"id_number\":\"$2\",\"birth_date\":\"$3\",\"organization_id\":$office,\"position\":\"$4\"}" >"$TMP/out"
	j .person.id
}
huong_id=$(person "Nguyễn Thị Hường" 034186000123 12/03/1986 "Phó Chánh Văn phòng")
duc_id=$(person "Trần Văn Đức" 034085000456 01/02/1985 "Chuyên viên")
vy_id=$(person "Lê Quang Vỹ" 034080001234 05/05/1980 "Chuyên viên")
cu_id=$(person "Đỗ Văn Cũ" 034060004321 09/09/1960 "Chánh Văn phòng")
trang_id=$(person "Phạm Thu Trang" 034190000789 20/10/1990 "Chuyên viên")
huong=$(token_serial "Nguyen Thi Huong")
duc=$(token_serial "Tran Van Duc")
vy=$(token_serial "Le Quang Vy")
cu=$(token_serial "Do Van Cu")
org_token=$(token_serial "Van phong UBND")
for pair in "$huong:person_id:$huong_id" "$duc:person_id:$duc_id" "$vy:person_id:$vy_id" \
	    "$cu:person_id:$cu_id" "$org_token:organization_id:$office"; do
	IFS=: read -r serial key id <<<"$pair"
	call io.khoa.Tokens.Register "{\"serial\":\"$serial\",\"$key\":$id}" >/dev/null
done
call io.khoa.Tokens.List >"$TMP/out"
check_eq "five tokens registered" "5" "$(j '[.tokens[] | select(.registration.status == "registered")] | length')"

# ----- new certificates (row 3)
refused "R-VALIDITY-10Y: a new certificate for 11 years" R-VALIDITY-10Y \
	io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$trang_id,\"requested_years\":11}"
call io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$trang_id,\"requested_years\":5}" >"$TMP/out"
new_trang=$(j .request.id)
call io.khoa.Requests.New "{\"kind\":\"new\",\"organization_id\":$finance,\"requested_years\":10}" >"$TMP/out"
confirm() { as_clerk io.khoa.Requests.Confirm "{\"id\":$(j .request.id)}" >/dev/null; }
confirm	# a request counts once the agency confirmed it (issue 16)
call io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$duc_id}" >"$TMP/out"
withdrawn=$(j .request.id)
as_clerk io.khoa.Requests.Cancel "{\"id\":$withdrawn,\"note\":\"nộp nhầm\"}" >"$TMP/out"
check_eq "a request filed by mistake is cancelled" "cancelled" "$(j .request.state)"
to_done "$new_trang"
# Trang again, after the first is done: one subject, counted once in row 3;
# and Lan's, never confirmed: not counted (issue 16)
call io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$trang_id,\"requested_years\":5}" >"$TMP/out"
confirm
call io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$duc_id,\"requested_years\":2}" >"$TMP/out"

# ----- renewal completed by the device (rows 2 and 5)
refused "R-RENEW-60D: the organization's certificate with 30 days left" R-RENEW-60D \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$org_token\"}"
huong_old=$(openssl x509 -in "$TMP/fx/certs/Nguyen_Thi_Huong-01.pem" -noout -serial | sed 's/^serial=//')
call io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"requested_years\":5}" >"$TMP/out"
renew=$(j .request.id)
check_eq "the renewal names the certificate read from her token" "$huong_old" "$(j .request.certificate_serial)"
to_forwarded "$renew"
# The CA renews: the token comes back carrying a new certificate.
huong_new=$(issue_cert "$TMP/huong-new" "Nguyễn Thị Hường" now "5 years")
put_cert "Nguyen Thi Huong" "$TMP/huong-new" 02
call io.khoa.Tokens.Rescan >/dev/null
call io.khoa.Requests.Get "{\"id\":$renew}" >"$TMP/out"
check_eq "the renewal is done by the device, linked to the new certificate" "done|$huong_new" \
	"$(j '.request | "\(.state)|\(.new_certificate_serial)"')"
check_eq "its last step is khoad's, naming the certificate and the token" \
	"khoad|certificate $huong_new read from token $huong" \
	"$(j '.request.history[-1] | "\(.user)|\(.note)"')"
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "certificate.renewed recorded: previous and new serials" "$huong_old $huong_new" \
	"$(j '.events[] | select(.type == "certificate.renewed") | .details | "\(.previous) \(.certificate)"')"
check_eq "an expected change: bound to the new certificate, no mismatch raised" \
	"token.binding_confirmed|0" \
	"$(j '[.events[] | select(.type == "token.binding_confirmed") | .type][0] + "|" + ([.events[] | select(.type == "token.mismatch")] | length | tostring)')"
call io.khoa.Tokens.Get "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "the token shows no mismatch" "false" "$(j .token.registration.mismatch)"
refused "R-RENEW-ONCE: the renewed certificate cannot be renewed again" R-RENEW-ONCE \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"certificate_serial\":\"$huong_new\"}"
call io.khoa.Expiry.Expiring '{"days":3650}' >"$TMP/out"
check_eq "expiry: the renewed certificate cannot be renewed (R-RENEW-ONCE)" "false R-RENEW-ONCE" \
	"$(jq -r --arg s "$huong_new" '.certificates[] | select(.serial == $s) | "\(.renewal_possible) \(.rule)"' "$TMP/out")"

# ----- R-VALIDITY-5Y: the certificate from 2015 is renewed for 5 years at most
refused "R-VALIDITY-5Y: 6 years for a certificate from before Thông tư 08" R-VALIDITY-5Y \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$cu\",\"requested_years\":6}"
check_contains "the message gives the first issue date" "2015-06-01" "$(j .parameters.message)"
call io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$cu\",\"requested_years\":5}" >"$TMP/out"
check_eq "5 years are allowed" "filed|$old_cert" "$(j '.request | "\(.state)|\(.certificate_serial)"')"
confirm

# ----- revocation (row 6): the certificate revoked, the token expected back
refused "R-REVOKE-PERSON: a person's certificate is not revoked for a rename" R-REVOKE-PERSON \
	io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$duc\",\"reason\":\"rename\"}"
refused "R-REVOKE-ORG: an organization's certificate is not revoked for a retirement" R-REVOKE-ORG \
	io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$org_token\",\"reason\":\"retirement\"}"
refused "R-REISSUE: no re-issue before the revocation" R-REISSUE \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"person_id\":$duc_id,\"reason\":\"transfer\"}"
duc_cert=$(openssl x509 -in "$TMP/fx/certs/Tran_Van_Duc-01.pem" -noout -serial | sed 's/^serial=//')
call io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$duc\",\"reason\":\"transfer\"}" >"$TMP/out"
revoke=$(j .request.id)
to_done "$revoke"
check_eq "revocation done: the certificate revoked, the token awaited" "$duc_cert|awaited" \
	"$(j '.request | "\(.certificate_serial)|\(.token_return)"')"
check_contains "and when" "$year-" "$(j .request.revoked_at)"
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":$duc_id},\"receiver\":{\"organization_id\":$office,\"representative\":\"Nguyễn Thị Hường\"},\"reason\":\"revocation-return\",\"serials\":[\"$duc\"]}" >"$TMP/out"
handover=$(j .handover.id)
call io.khoa.Requests.Get "{\"id\":$revoke}" >"$TMP/out"
check_eq "a draft handover does not return it yet" "awaited" "$(j .request.token_return)"
call io.khoa.Handovers.Finalize "{\"id\":$handover}" >/dev/null
call io.khoa.Requests.Get "{\"id\":$revoke}" >"$TMP/out"
check_eq "the finalized handover returns it" "returned|$handover" \
	"$(j '.request | "\(.token_return)|\(.return_handover_id)"')"
call io.khoa.Expiry.Expiring '{"days":3650}' >"$TMP/out"
check_eq "a revoked certificate is not warned of" "0" \
	"$(j "[.certificates[] | select(.serial == \"$duc_cert\")] | length")"

# ----- re-issue after the revocation (row 4)
call io.khoa.Requests.New "{\"kind\":\"reissue\",\"person_id\":$duc_id,\"reason\":\"transfer\"}" >"$TMP/out"
check_eq "re-issue after the revocation is filed" "reissue|filed" "$(j '.request | "\(.kind)|\(.state)"')"
confirm

# ----- PIN recovery (row 7)
call io.khoa.PinRequests.New "{\"serial\":\"$vy\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
as_clerk io.khoa.PinRequests.Confirm "{\"id\":$(j .request.id)}" >/dev/null
# filed, never confirmed: not in row 7 (issue 16)
call io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >/dev/null
call io.khoa.PinRequests.New "{\"serial\":\"$cu\",\"reason\":\"Khóa thiết bị\"}" >"$TMP/out"
as_clerk io.khoa.PinRequests.Cancel "{\"id\":$(j .request.id),\"note\":\"đã nhớ lại\"}" >/dev/null

# ----- rows 8–10, entered by the clerk, not by anybody
as_official io.khoa.Reports.Enter "{\"year\":$year,\"organization_id\":$office,\"documents_sent\":1}" >"$TMP/out" || true
check_eq "entering figures needs the clerk" "io.khoa.PermissionDenied clerk" "$(j '"\(.error) \(.parameters.role)"')"
as_clerk io.khoa.Reports.Enter "{\"year\":$year,\"organization_id\":$office,\"documents_signed_org\":1250,\"documents_signed_person\":3400}" >/dev/null
as_clerk io.khoa.Reports.Enter "{\"year\":$year,\"organization_id\":$office,\"documents_sent\":980}" >"$TMP/out"
check_eq "a figure entered later keeps the others" "1250 3400 980" \
	"$(j '[.report.rows[7:][] | .total] | join(" ")')"
call io.khoa.Reports.Enter "{\"year\":$year,\"organization_id\":$office,\"documents_sent\":-1}" >"$TMP/out" || true
check_eq "a negative figure is refused" "io.khoa.InvalidField documents_sent" "$(j '"\(.error) \(.parameters.field)"')"

# ----- Mẫu 07 of the agency, every figure
as_official io.khoa.Reports.Annual "{\"year\":$year,\"organization_id\":$office}" >"$TMP/out"
figures() { j '[.report.rows[] | "\(.row):\(.organization // "-")/\(.person // "-")/\(.total // "-")\(if .entered then "e" else "" end)"] | join(" ")'; }
# 1: the office's two certificates; 2: Hường's new one and Cũ's (Hường's
# old one replaced, Đức's revoked, Vỹ's expired); 3: Trang, once for her
# two requests (Đức's cancelled, his second never confirmed, Sở Tài
# chính's not this agency's); 4: Đức; 5: Hường and Cũ; 6: Đức; 7: Vỹ (Cũ's
# cancelled, Hường's never confirmed); 8–10 entered. Rows 3–7 count the
# requests the agency confirmed, each subject once a kind (issue 16).
check_eq "Mẫu 07 of the office: every figure" \
	"1:2/-/2 2:-/2/2 3:0/1/1 4:0/1/1 5:0/2/2 6:0/1/1 7:-/-/1 8:-/-/1250e 9:-/-/3400e 10:-/-/980e" \
	"$(figures)"
check_eq "its scope and year" "$year|$office|Văn phòng UBND tỉnh Thái Bình" \
	"$(j '.report | "\(.year)|\(.organization_id)|\(.organization_name)"')"
call io.khoa.Reports.Annual "{\"year\":$year}" >"$TMP/out"
check_eq "the whole registry: Sở Tài chính's request too, nothing entered" \
	"1:2/-/2 2:-/2/2 3:1/1/2 4:0/1/1 5:0/2/2 6:0/1/1 7:-/-/1 8:-/-/-e 9:-/-/-e 10:-/-/-e" \
	"$(figures)"
# The whole registry's rows 1 and 2 come from held_certificates (0015),
# kept by triggers through the renewal, the revocation and the handovers
# above: the same rows as the join it stands for.
held_join="SELECT tc.token_serial, c.id, CASE WHEN h.organization_id IS NULL THEN 0 ELSE 1 END
	FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial
	JOIN certificates c ON c.id = tc.certificate_id WHERE h.valid_to IS NULL
	AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial)
	AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial)"
held_rows="SELECT token_serial, certificate_id, by_organization FROM held_certificates"
check_eq "held_certificates: the join's rows, no more, no fewer" "5 0 0" \
	"$(registry_sql "SELECT (SELECT count(*) FROM held_certificates) || ' ' ||
		(SELECT count(*) FROM ($held_rows EXCEPT $held_join) x) || ' ' ||
		(SELECT count(*) FROM ($held_join EXCEPT $held_rows) y)")"
call io.khoa.Reports.Annual "{\"year\":$((year - 1)),\"organization_id\":$office}" >"$TMP/out"
check_eq "last year: no request" "3:0/0/0 7:-/-/0" \
	"$(j '[.report.rows[] | select(.row == 3 or .row == 7) | "\(.row):\(.organization // "-")/\(.person // "-")/\(.total)"] | join(" ")')"
# (the report month is this month here: [rules] report-month above)
check_eq "last year: rows 1–2 as held at the end of its report month, not today's (issue 16)" \
	"1:0 2:0 $(date -d "$((year - 1))-$month-01 +1 month -1 day" +%F)T23:59:59Z" \
	"$(j '[.report.rows[] | select(.row <= 2) | "\(.row):\(.total)"] + [.report.as_of] | join(" ")')"
call io.khoa.Reports.Annual "{\"year\":$year,\"organization_id\":9999}" >"$TMP/out" || true
check_eq "an unknown agency" "io.khoa.NoSuchOrganization" "$(j .error)"
# The counts agree with the Count methods on the same year.
call io.khoa.Requests.Count "{\"year\":$year,\"kind\":\"renew\",\"subject_kind\":\"person\"}" >"$TMP/out"
check_eq "Requests.Count agrees on renewals" "2" "$(j .count)"

# ----- khoa report: the table, the paper
out=$(khoa report annual --year "$year" --org "$office")
check_contains "khoa report: its title" "Annual report $year (Mẫu 07): Văn phòng UBND tỉnh Thái Bình" "$out"
check_eq "khoa report: row 5, by organization and person" "5 Renewals requested 0 2 2" \
	"$(grep -E '^5 ' <<<"$out" | tr -s ' ' | sed 's/ $//')"
check_eq "khoa report: row 8 entered" "8 Documents signed with organization certificates 1250 entered" \
	"$(grep -E '^8 ' <<<"$out" | tr -s ' ' | sed 's/ $//')"
check_contains "khoa report: not filed yet, and how" "khoa report file" "$out"
out=$(LANGUAGE=vi khoa report annual --year "$year" --org "$office")
check_contains "khoa report in Vietnamese" "Báo cáo năm $year (Mẫu 07)" "$out"
out=$(khoa report enter --year "$year" --org "$office" --sent 990)
check_eq "khoa report enter: row 10" "10 Electronic documents sent 990 entered" \
	"$(grep -E '^10 ' <<<"$out" | tr -s ' ' | sed 's/ $//')"
check_status "khoa report enter needs a figure" 64 "$KHOA" --socket "$SOCK" report enter --year "$year"
khoa report annual --year "$year" --org "$office" --format pdf --output "$TMP/mau07.pdf" >/dev/null
pdftotext -layout "$TMP/mau07.pdf" "$TMP/mau07.txt"
check_contains "Mẫu 07 as PDF: its title" "BÁO CÁO" "$(cat "$TMP/mau07.txt")"
check_eq "Mẫu 07 as PDF: the figures of rows 5 (tổ chức/cá nhân) and 8" "0/2 1250" \
	"$(awk '$1 == 5 || $1 == 8 { printf "%s%s", sep, $NF; sep = " " }' "$TMP/mau07.txt")"
khoa --json report annual --year "$year" --org "$office" >"$TMP/out"
check_eq "khoa --json report: the protocol's Report" "10 990" "$(j '"\(.report.rows | length) \(.report.rows[9].total)"')"

# ----- the reminder of the report month: once per agency, until filed
config() { printf '[roles]\nclerk = staff\ntechnician = users\n[rules]\nreport-month = %s\n' "$1" >"$TMP/khoad.conf"; }
stop_khoad
config $((month % 12 + 1))	# next month: nothing is due
start_khoad
as_clerk io.khoa.Reports.Enter "{\"year\":$year,\"organization_id\":$office,\"documents_sent\":981}" >/dev/null
stop_khoad
config "$month"
start_khoad	# due now
stop_khoad
start_khoad	# reminded already
as_clerk io.khoa.Reports.File "{\"year\":$year,\"organization_id\":$office}" >"$TMP/out"
check_eq "the clerk files the report" "$year-" "$(j '.report.filed_at[0:5]')"
await_event report.filed >"$TMP/events"
check_eq "one report.due, for the office (it holds certificates), not for Sở Tài chính" \
	"$office|$year" "$(jq -r 'select(.event.type == "report.due") | .event.details | "\(.organization_id)|\(.year)"' "$TMP/events")"
check_eq "raised in the report month, not the month before" "report.entered report.due" \
	"$(jq -r '.event.type | select(. == "report.due" or . == "report.entered")' "$TMP/events" | tail -n 2 | xargs)"
as_clerk io.khoa.Reports.File "{\"year\":$year,\"organization_id\":$office}" >"$TMP/out" || true
check_eq "filed once" "io.khoa.AlreadyFiled $year" "$(j '"\(.error) \(.parameters.year)"')"
check_status "khoa report file a second time" 1 "$KHOA" --socket "$SOCK" report file --year "$year" --org "$office"
check_eq "says when it was filed" "khoa: the report of $year was filed already, on $(date +%d/%m/%Y)" "$(cat "$TMP/err")"
# A filed report does not move (issue 16): no figure entered after it, and
# what the registry holds later is not counted in it.
as_clerk io.khoa.Reports.Enter "{\"year\":$year,\"organization_id\":$office,\"documents_sent\":1000}" >"$TMP/out" || true
check_eq "a filed report takes no figure" "io.khoa.AlreadyFiled $year" "$(j '"\(.error) \(.parameters.year)"')"
khoa report enter --year "$year" --org "$office" --sent 1000 2>"$TMP/err" || true
check_contains "  khoa says when it was filed" "was filed already, on $(date +%d/%m/%Y)" "$(cat "$TMP/err")"
call io.khoa.Reports.Annual "{\"year\":$year,\"organization_id\":$office}" >"$TMP/filed.json"
call io.khoa.Requests.Count "{\"year\":$year}" >"$TMP/out"
before=$(j .count)
call io.khoa.Requests.New "{\"kind\":\"new\",\"organization_id\":$office,\"requested_years\":3}" >"$TMP/out"
check_eq "  (a request of the office filed after it)" "filed" "$(j .request.state)"
call io.khoa.Requests.Count "{\"year\":$year}" >"$TMP/out"
check_eq "  (which the registry counts)" "$((before + 1))" "$(j .count)"
call io.khoa.Reports.Annual "{\"year\":$year,\"organization_id\":$office}" >"$TMP/out"
check_eq "the report as filed: the same, row for row" "$(jq -c .report "$TMP/filed.json")" "$(jq -c .report "$TMP/out")"
check_status "khoa report for a year that cannot be" 1 "$KHOA" --socket "$SOCK" report annual --year 99999
check_contains "names the field" "year" "$(cat "$TMP/err")"
stop_khoad
start_khoad	# filed: no reminder; the marker after it: last year's report filed
as_clerk io.khoa.Reports.File "{\"year\":$((year - 1)),\"organization_id\":$office}" >/dev/null
await_event report.filed '{}' --nth 2 >"$TMP/events"
check_eq "no reminder after filing" "1" "$(jq -r 'select(.event.type == "report.due") | .event.type' "$TMP/events" | wc -l)"

# ----- a later regulation allowing two renewals: a profile, not a code change
stop_khoad
printf '[rules]\nname = Later regulation (two renewals)\nrenewals-allowed = 2\n' >"$TMP/khoad.conf"
start_khoad
call io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$huong\",\"certificate_serial\":\"$huong_new\"}" >"$TMP/out"
check_eq "the renewed certificate may be renewed once more under it" "filed|$huong_new" \
	"$(j '.request | "\(.state)|\(.certificate_serial)"')"
stop_khoad
done_testing
