#!/usr/bin/env bash
# Who may do what (issue 13): people known by their Unix logins, clerks of
# one organization (by their person record or by [clerks] in khoad.conf),
# PINs presented only by those who may hold the token, requests filed by
# whom they concern. Every caller is a real user of a Debian base system
# (setpriv): games holds a token of Sở Tài chính, man is a person of Văn
# phòng UBND, lp is Sở Tài chính's clerk by their record, mail is Văn phòng
# UBND's clerk by [clerks], news is a technician (group users), nobody is a
# stranger, root is admin.
. "$(dirname "$0")/lib.sh"

access_callers

# The error of the last answer with its role and scope: "Error role scope".
refusal() { j '"\(.error // "no error") \(.parameters.role // "") \(.parameters.scope // "")"'; }

make_tokens
start_khoad

make_agencies
huong=$(token_serial "Nguyen Thi Huong")
org_token=$(token_serial "Van phong UBND")
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":$huong_id}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$office}" >/dev/null

# ----- 1. people have logins, set by a technician
khoa person update "$huong_id" --login games >"$TMP/out"
check_contains "khoa person update --login shows the login" "games" "$(cat "$TMP/out")"
call io.khoa.People.Update "{\"id\":$duc_id,\"logins\":[\"man\"]}" >/dev/null
call io.khoa.People.Update "{\"id\":$mai_id,\"logins\":[\"lp\"],\"clerk\":true}" >"$TMP/out"
check_eq "a person's record names their logins and clerkship" '["lp"] true' \
	"$(j '"\(.person.logins | tojson) \(.person.clerk)"')"
call io.khoa.People.Update "{\"id\":$duc_id,\"logins\":[\"no-such-user-x\"]}" >"$TMP/out" || true
check_eq "a login that is no user of the system is refused" "io.khoa.InvalidField logins" \
	"$(j '"\(.error) \(.parameters.field)"')"
call io.khoa.People.Update "{\"id\":$duc_id,\"logins\":[\"games\"]}" >"$TMP/out" || true
check_eq "a login of another person is refused, naming the person" "login-taken games $huong_id" \
	"$(j '"\(.parameters.rule) \(.parameters.args | join(" "))"')"
as_call lp io.khoa.People.Update "{\"id\":$huong_id,\"logins\":[\"lp\"]}" >"$TMP/out" || true
check_eq "only a technician sets logins" "io.khoa.PermissionDenied technician " "$(refusal)"

# ----- [clerks] (make_agencies made mail Văn phòng UBND's clerk): checked against the registry
printf '[roles]\ntechnician = users\n\n[clerks]\nmail = 99\n' >"$TMP/bad.conf"
check_status "--check-config refuses a clerk of no organization" 1 "$KHOAD" --check-config \
	--config "$TMP/bad.conf" --state-dir "$TMP/state" "${REGISTRY_ARGS[@]}"
check_contains "naming the file and the line" "$TMP/bad.conf:5: [clerks]: no organization '99'" \
	"$(cat "$TMP/err")"
printf '[clerks]\nno-such-group-x = %s\n' "$office" >"$TMP/bad2.conf"
check_status "--check-config refuses a clerk group that does not exist" 1 "$KHOAD" \
	--check-config --config "$TMP/bad2.conf" --state-dir "$TMP/state" "${REGISTRY_ARGS[@]}"
check_contains "naming its line" "bad2.conf:2: [clerks]: no group 'no-such-group-x'" "$(cat "$TMP/err")"
printf '[roles]\ntechnician = users\n[clerks]\n@lp = %s\n@no-such-user-x = %s\n' "$office" "$office" >"$TMP/bad3.conf"
check_status "--check-config refuses a clerk login that does not exist" 1 "$KHOAD" \
	--check-config --config "$TMP/bad3.conf" --state-dir "$TMP/state" "${REGISTRY_ARGS[@]}"
check_contains "naming its line" "bad3.conf:5: [clerks]: no user 'no-such-user-x'" "$(cat "$TMP/err")"
cp "$TMP/bad.conf" "$TMP/khoad.conf"
kill -HUP "$KHOAD_PID"
wait_for_line "$TMP/khoad.log" "the configuration in effect is kept"
check_contains "a wrong [clerks] on SIGHUP keeps the settings in effect" \
	"khoad.conf:5: [clerks]: no organization '99'" "$(cat "$TMP/khoad.log")"

# ----- 3. PIN operations only by those who may hold the token; no try spent
as_call nobody io.khoa.Pin.Change "{\"serial\":\"$huong\",\"old_pin\":\"0000\",\"new_pin\":\"5678\",\"final_try\":true}" >"$TMP/out" || true
check_eq "a stranger may not present a PIN to a token" \
	"io.khoa.PermissionDenied holder $huong" "$(refusal)"
as_call man io.khoa.Pin.Change "{\"serial\":\"$huong\",\"old_pin\":\"0000\",\"new_pin\":\"5678\"}" >"$TMP/out" || true
check_eq "nor another person" "io.khoa.PermissionDenied holder $huong" "$(refusal)"
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "the refused calls reached no token: no PIN event" 0 \
	"$(j '[.events[] | select(.type | startswith("pin."))] | length')"
as_call games io.khoa.Pin.Change "{\"serial\":\"$huong\",\"old_pin\":\"1234\",\"new_pin\":\"5678\"}" >"$TMP/out"
check_eq "the holder changes their own PIN" "{}" "$(jq -c . "$TMP/out")"
as_call tech io.khoa.Pin.Change "{\"serial\":\"$huong\",\"old_pin\":\"5678\",\"new_pin\":\"1234\"}" >"$TMP/out"
check_eq "a technician may" "{}" "$(jq -c . "$TMP/out")"
check_contains "refusals are logged with the caller" "nobody (uid $(id -u nobody)) refused io.khoa.Pin.Change" \
	"$(cat "$TMP/khoad.log")"

# The organization token checked out to Đức: its custodian presents the PIN,
# but the last try is not theirs to spend.
as_call mail io.khoa.Custody.SealOut "{\"serial\":\"$org_token\",\"person_id\":$duc_id,\"purpose\":\"ký công văn\"}" >"$TMP/out"
check_eq "the office's clerk checks out its organization token" "$duc_id" "$(j .entry.person_id)"
as_call man io.khoa.Pin.Change "{\"serial\":\"$org_token\",\"old_pin\":\"1234\",\"new_pin\":\"5678\"}" >"$TMP/out"
check_eq "the custodian presents the PIN" "{}" "$(jq -c . "$TMP/out")"
as_call man io.khoa.Pin.Change "{\"serial\":\"$org_token\",\"old_pin\":\"5678\",\"new_pin\":\"1234\",\"final_try\":true}" >"$TMP/out" || true
check_eq "final_try only from the holder or a technician" \
	"io.khoa.PermissionDenied holder $org_token" "$(refusal)"
as_call lp io.khoa.Custody.SealIn "{\"serial\":\"$org_token\"}" >"$TMP/out" || true
check_eq "Sở Tài chính's clerk may not check in Văn phòng UBND's seal" \
	"io.khoa.PermissionDenied clerk Văn phòng UBND tỉnh" "$(refusal)"
as_call man io.khoa.Pin.Change "{\"serial\":\"$org_token\",\"old_pin\":\"5678\",\"new_pin\":\"1234\"}" >/dev/null
as_call mail io.khoa.Custody.SealIn "{\"serial\":\"$org_token\"}" >/dev/null
as_call man io.khoa.Pin.Change "{\"serial\":\"$org_token\",\"old_pin\":\"1234\",\"new_pin\":\"5678\"}" >"$TMP/out" || true
check_eq "checked in, Đức is no longer its custodian" \
	"io.khoa.PermissionDenied holder $org_token" "$(refusal)"

# ----- 6. requests are filed by whom they concern
as_call nobody io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\",\"fields\":{\"id_number\":\"001099000001\"}}" >"$TMP/out" || true
check_eq "a stranger may not file a PIN-recovery request for a token" \
	"io.khoa.PermissionDenied clerk Sở Tài chính" "$(refusal)"
as_call mail io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out" || true
check_eq "nor the clerk of another agency" "io.khoa.PermissionDenied clerk Sở Tài chính" "$(refusal)"
as_call games io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out"
check_eq "the holder files their own" games "$(j .request.filed_by)"
request=$(j .request.id)
# What the registry says of the subscriber is corrected by the person or their
# clerk only, and the filing keeps who typed over it.
as_call tech io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\",\"fields\":{\"id_number\":\"034186000999\"}}" >"$TMP/out" || true
check_eq "a technician may file, but not retype the subscriber's ID number" \
	"io.khoa.PermissionDenied clerk Sở Tài chính" "$(refusal)"
as_call lp io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\"}" >"$TMP/out" || true
check_eq "one open request a token: her clerk's second is refused, naming the holder's (issue 16)" \
	"io.khoa.Duplicate pin_request $request token_serial" \
	"$(j '"\(.error) \(.parameters.record) \(.parameters.id) \(.parameters.field)"')"
as_call nobody io.khoa.Requests.New "{\"kind\":\"revoke\",\"organization_id\":$office,\"serial\":\"$org_token\",\"reason\":\"compromised\"}" >"$TMP/out" || true
check_eq "a stranger may not file a revocation of the organization token" \
	"io.khoa.PermissionDenied clerk Văn phòng UBND tỉnh" "$(refusal)"
as_call nobody io.khoa.Requests.New "{\"kind\":\"revoke\",\"serial\":\"$org_token\",\"reason\":\"compromised\"}" >"$TMP/out" || true
check_eq "nor by naming the token alone" "io.khoa.PermissionDenied clerk Văn phòng UBND tỉnh" \
	"$(refusal)"
as_call lp io.khoa.Requests.New "{\"kind\":\"revoke\",\"organization_id\":$office,\"serial\":\"$org_token\",\"reason\":\"compromised\"}" >"$TMP/out" || true
check_eq "nor the clerk of another agency" "io.khoa.PermissionDenied clerk Văn phòng UBND tỉnh" \
	"$(refusal)"

# ----- 2. a clerk confirms their own agency's requests only
as_call mail io.khoa.PinRequests.Confirm "{\"id\":$request}" >"$TMP/out" || true
check_eq "Văn phòng UBND's clerk may not confirm Sở Tài chính's request" \
	"io.khoa.PermissionDenied clerk Sở Tài chính" "$(refusal)"
as_call lp io.khoa.PinRequests.Confirm "{\"id\":$request}" >"$TMP/out"
check_eq "Sở Tài chính's clerk (by their record) confirms it" confirmed "$(j .request.state)"
# Four eyes counts people, not uids: Mai's second login (backup, in the
# technicians' group) may not take the next approval step after her.
call io.khoa.People.Update "{\"id\":$mai_id,\"logins\":[\"lp\",\"backup\"]}" >/dev/null
setpriv --reuid="$(id -u backup)" --regid="$(id -g backup)" --groups="$usersgroup" \
	/usr/bin/python3 "$TMP/call.py" "$SOCK" io.khoa.PinRequests.Submit "{\"id\":$request}" >"$TMP/out" || true
check_eq "one person under two logins takes no two approval steps in a row" \
	"io.khoa.PermissionDenied four-eyes" "$(j '"\(.error) \(.parameters.reason)"')"
as_call tech io.khoa.PinRequests.Submit "{\"id\":$request}" >"$TMP/out"
check_eq "another technician does" submitted "$(j .request.state)"
as_call tech io.khoa.PinRequests.Reject "{\"id\":$request,\"note\":\"nộp lại\"}" >/dev/null
as_call lp io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\",\"fields\":{\"id_number\":\"034186000999\",\"sex\":\"Nữ\"}}" >"$TMP/out"
check_eq "her agency's clerk may" 034186000999 "$(j .request.form.id_number)"
typed=$(j .request.id)
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/out"
check_eq "the filing names what was typed over the registry, and by whom" '["id_number"] lp' \
	"$(j ".events[] | select(.type == \"pin_request.filed\" and .details.id == $typed) | \"\\(.details.typed_over_registry | tojson) \\(.actor.user)\"")"

# ----- an unscoped clerk of [roles] keeps today's behaviour, and is named
stop_khoad
printf '[roles]\nclerk = staff\n' >"$TMP/khoad.conf"
start_khoad
check_contains "an unscoped clerk is logged at start as needing a scope" \
	"maps a group to clerk of no organization" "$(cat "$TMP/khoad.log")"

done_testing
