#!/usr/bin/env bash
# A token lost, through the khoa client as the people would (issue 16,
# items 1 and 2): the holder reports it lost from the record while the
# device is away; Sở TT&TT is alerted (token.lost); custody, the seal
# register and PIN operations refuse it; its revocation is drafted for the
# holder (Mẫu 05, reason lost) and printed; plugged in again it raises
# token.found and stays frozen until a technician clears it. Who may
# report, and who may clear.
. "$(dirname "$0")/lib.sh"

as_roles
make_tokens
start_khoad
call io.khoa.Tokens.List >/dev/null	# after the first scan

huong=$(token_serial "Nguyen Thi Huong")
org_token=$(token_serial "Van phong UBND")
cert=$(openssl x509 -in "$TMP/fx/certs/Nguyen_Thi_Huong-01.pem" -noout -serial | sed 's/^serial=//')
call io.khoa.Organizations.Create '{"name":"Sở Tài chính"}' >"$TMP/out"
finance=$(j .organization.id)
call io.khoa.People.Create "{\"full_name\":\"Nguyễn Thị Hường\",\"id_number\":\"034186000123\",\"birth_date\":\"12/03/1986\",\"organization_id\":$finance,\"position\":\"Phó Giám đốc\"}" >"$TMP/out"
huong_id=$(j .person.id)
call io.khoa.People.Update "{\"id\":$huong_id,\"logins\":[\"nobody\"]}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":$huong_id}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$finance}" >/dev/null

# The device goes away: it is lost.
for d in "$TMP"/fx/tokens/*/; do
	grep -qs "$huong" "$d"/token.object 2>/dev/null && mv "$d" "$TMP/huong.token" && break
done
khoa rescan >/dev/null
khoa token "$huong" >"$TMP/shown"
check_contains "khoa token works from the record when the device is away" \
	"Not present now: last read from the device on $(date +%d/%m/%Y)" "$(cat "$TMP/shown")"
check_contains "  with its certificate" "$cert" "$(cat "$TMP/shown")"

call io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
check_eq "a PIN-recovery request filed from the record, saying so" "filed $cert false" \
	"$(j '"\(.request.state) \(.request.form.certificate_serial) \(.reading.present)"')"

# ----- who may report it
st=0
as_user games "" "$TMP/khoa" --socket "$SOCK" incident lost "$huong" 2>"$TMP/err" >/dev/null || st=$?
check_eq "a local user who is not the holder cannot report it (exit status)" 1 "$st"
khoa_as official incident lost "$huong" --note "Để quên trên taxi" --on "$(date +%d/%m/%Y)" \
	>"$TMP/reported" 2>"$TMP/err" || true
check_contains "the holder reports it lost: the client says so" "Token $huong is now reported lost." "$(cat "$TMP/reported")"
request=$(sed -n 's/^Revocation request \([0-9]*\) (Mẫu 05) is drafted.*/\1/p' "$TMP/reported")
check_contains "  and names the revocation it drafted" "khoa print request $request" "$(cat "$TMP/reported")"
call io.khoa.Requests.Get "{\"id\":$request}" >"$TMP/out"
check_eq "the revocation: her certificate, from the record, reason lost, filed by her" \
	"revoke person $huong_id $cert lost filed nobody" \
	"$(j '.request | "\(.kind) \(.subject_kind) \(.person_id) \(.certificate_serial) \(.reason) \(.state) \(.filed_by)"')"
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "token.lost: an event with its actor, note, day and the request" \
	"nobody|Để quên trên taxi|$(date +%F)|$request" \
	"$(j '.events[] | select(.type == "token.lost") | "\(.actor.user)|\(.details.note)|\(.details.happened_on)|\(.details.revocation_requests[0])"')"
khoa_as official incident lost "$huong" 2>"$TMP/err" >/dev/null || true
check_contains "reported twice: refused, saying since when" "is reported lost since $(date +%d/%m/%Y)" \
	"$(cat "$TMP/err")"
check_contains "khoa token shows it lost" "reported lost since" "$(khoa token "$huong")"

# ----- frozen
khoa handover new --from "org:$finance" --to "person:$huong_id" --reason new-issue >"$TMP/out"
handover=$(sed -n 's/.*[Hh]andover \([0-9]*\).*/\1/p' "$TMP/out" | head -1)
khoa handover add "$handover" "$huong" --reason new-issue >/dev/null 2>"$TMP/err" || true
check_contains "it cannot be handed over" "cannot be handed over" "$(cat "$TMP/err")"
khoa_as official pin-request new "$huong" --reason "quên" 2>"$TMP/err" >/dev/null || true
check_status "  nor a PIN-recovery request filed (exit status)" 1 \
	khoa pin-request new "$huong" --reason "quên"

# ----- Mẫu 05 printed from the record
khoa print request "$request" --format text >"$TMP/mau05"
check_contains "Mẫu 05 printed for the revocation" "$cert" "$(cat "$TMP/mau05")"
check_contains "  the reason in the form's words" "Lý do thu hồi: Thiết bị lưu khóa bí mật bị mất" \
	"$(cat "$TMP/mau05")"

# ----- found: plugged in again
mv "$TMP/huong.token" "$TMP/fx/tokens/"
khoa rescan >/dev/null
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "plugged in again: token.found at once, khoad the witness" "1 null" \
	"$(j '[.events[] | select(.type == "token.found")] | "\(length) \(.[0].actor)"')"
check_contains "khoa token says it is found, not cleared" "not cleared by a technician" "$(khoa token "$huong")"
khoa pin change "$huong" --pin-fd 3 3< <(printf '1234\n2468-Moi\n') 2>"$TMP/err" >/dev/null || true
check_contains "no PIN operation until a technician clears it" "no PIN operation is done on it" \
	"$(cat "$TMP/err")"
khoa --json handover new --from "org:$finance" --to "person:$huong_id" --reason transfer >"$TMP/out"
check_eq "handover minutes drawn from the desk leave the found token out" "0" \
	"$(j "[.handover.rows[] | select(.token_serial == \"$huong\")] | length")"
khoa_as official incident found "$huong" 2>"$TMP/err" >/dev/null || true
check_contains "the holder cannot clear it" "technician" "$(cat "$TMP/err")"
khoa_as technician incident found "$huong" --note "Đã kiểm tra, đúng người giữ" >"$TMP/cleared"
check_contains "a technician clears it: in use again" "Token $huong is now in use." "$(cat "$TMP/cleared")"
call io.khoa.Tokens.Get "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "  no device state shown" "null" "$(j .token.registration.device_state)"
khoa_as technician incident found "$huong" 2>"$TMP/err" >/dev/null || true
check_contains "found when it is not lost: refused" "not a change from its state" "$(cat "$TMP/err")"

# ----- damaged: back to Sở TT&TT only
khoa_as clerk incident damaged "$org_token" --note "Rơi vỡ" >"$TMP/damaged" 2>"$TMP/err"
check_contains "the agency's clerk reports the seal token damaged" "is now reported damaged" \
	"$(cat "$TMP/damaged")"
khoa seal out "$org_token" --to "$huong_id" --purpose "Ký công văn" 2>"$TMP/err" >/dev/null || true
check_contains "a damaged seal is not lent" "cannot be checked out" "$(cat "$TMP/err")"

stop_khoad
done_testing
