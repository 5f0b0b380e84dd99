#!/usr/bin/env bash
# Handover minutes (Mẫu 10): rows filled from the tokens on the desk equal
# what pkcs11-tool and openssl read; a finalized handover is immutable and
# moves custody; a superseding one marks the old; the organization token's
# seal register with its overdue event; the clerk's role; a change of
# manager (Mẫu 08) drafts its handover.
. "$(dirname "$0")/lib.sh"

chmod 755 "$TMP"
cp "$SOURCE_ROOT/tests/integration/call.py" "$TMP/call.py"
chmod 755 "$TMP/call.py"
printf '[roles]\ntechnician = users\n' >"$TMP/khoad.conf"

make_tokens
start_khoad --seal-due-hours 3

jqo() { jq -r "$1" "$TMP/out"; }

call io.khoa.Organizations.Create '{"name":"Sở Thông tin và Truyền thông","address":"Thái Bình"}' >/dev/null
call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh Thái Bình"}' >/dev/null
call io.khoa.People.Create '{"full_name":"Nguyễn Thị Hường","id_number":"034187654321","position":"Chuyên viên","organization_id":2}' >/dev/null
call io.khoa.People.Create '{"full_name":"Trần Văn Đức","id_number":"034087654321","position":"Văn thư","organization_id":2}' >/dev/null

huong=$(token_serial "Nguyen Thi Huong")
duc=$(token_serial "Tran Van Duc")
vy=$(token_serial "Le Quang Vy")
org=$(token_serial "Van phong UBND")
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":1}" >/dev/null

# A new token is issued by Sở TT&TT (R-SO-DUTIES; the profile's
# department): its first handover as a new issue from anyone else is
# refused (issue 16).
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":2},\"receiver\":{\"person_id\":1},\"reason\":\"new-issue\",\"serials\":[\"$vy\"]}" >"$TMP/out" || true
check_eq "R-CUSTODY: a new issue given by another than Sở TT&TT" "io.khoa.RuleViolation R-CUSTODY" \
	"$(jqo '"\(.error) \(.parameters.rule)"')"
check_contains "  naming who issues" "a new token is issued by Sở Thông tin và Truyền thông" \
	"$(jqo .parameters.message)"

# A handover of three tokens on the desk.
call io.khoa.Handovers.New "{\"giver\":{\"organization_id\":1,\"representative\":\"Lê Văn Bình\",\"position\":\"Phó Giám đốc\"},
	\"receiver\":{\"person_id\":2},\"reason\":\"new-issue\",\"place\":\"Sở TT&TT\",
	\"serials\":[\"$huong\",\"$duc\",\"$vy\"]}" >"$TMP/out"
id=$(jqo .handover.id)
check_eq "a draft" "draft" "$(jqo .handover.state)"
check_eq "three rows numbered in order" "1 2 3" "$(jqo '[.handover.rows[].number] | join(" ")')"
check_eq "row token serials equal pkcs11-tool's" "$huong $duc $vy" \
	"$(jqo '[.handover.rows[].token_serial] | join(" ")')"
check_eq "rows verified on the device" "true true true" \
	"$(jqo '[.handover.rows[].verified_on_device] | map(tostring) | join(" ")')"
check_eq "giver filled from the registry" "Sở Thông tin và Truyền thông|Thái Bình|Lê Văn Bình" \
	"$(jqo '.handover.giver | "\(.name)|\(.address)|\(.representative)"')"
check_eq "receiver filled from the registry" "Trần Văn Đức|Văn phòng UBND tỉnh Thái Bình|Văn thư" \
	"$(jqo '.handover.receiver | "\(.name)|\(.agency)|\(.position)"')"
check_eq "holder of a registered token: the registry's person" "Nguyễn Thị Hường" "$(jqo '.handover.rows[0].holder_name')"
i=0
for label in "Nguyen Thi Huong" "Tran Van Duc" "Le Quang Vy"; do
	cid=$(p11 --token-label "$label" -O --type cert | sed -n 's/^ *ID: *//p' | head -n 1)
	p11 --token-label "$label" --read-object --type cert --id "$cid" -o "$TMP/c.der" >/dev/null
	x() { openssl x509 -inform DER -in "$TMP/c.der" -noout "$@"; }
	check_eq "$label: certificate serial equals openssl's" "$(x -serial | sed 's/^serial=//')" \
		"$(jqo ".handover.rows[$i].certificate_serial")"
	check_eq "$label: valid to equals openssl's" "$(date -u -d "$(x -enddate | sed 's/^notAfter=//')" +%Y-%m-%d)" \
		"$(jqo ".handover.rows[$i].valid_to")"
	i=$((i + 1))
done
check_eq "an unregistered token's holder: the certificate's CN" \
	"$(openssl x509 -inform DER -in "$TMP/c.der" -noout -subject -nameopt multiline,-esc_msb,utf8 | sed -n 's/^ *commonName *= //p')" \
	"$(jqo '.handover.rows[2].holder_name')"

call io.khoa.Handovers.RemoveRow "{\"id\":$id,\"number\":2}" >"$TMP/out"
check_eq "a row removed, the rest renumbered" "1:$huong 2:$vy" \
	"$(jqo '[.handover.rows[] | "\(.number):\(.token_serial)"] | join(" ")')"
call io.khoa.Handovers.AddRow "{\"id\":$id,\"serial\":\"$duc\",\"reason\":\"bogus\"}" >"$TMP/out" || true
check_eq "a reason not in the list refused" "io.khoa.InvalidField reason" "$(jqo '"\(.error) \(.parameters.field)"')"
call io.khoa.Handovers.AddRow "{\"id\":$id,\"serial\":\"$duc\",\"reason\":\"new-issue\",\"note\":\"kèm PIN\"}" >"$TMP/out"
check_eq "a row added back" "3:$duc:kèm PIN" "$(jqo '.handover.rows[2] | "\(.number):\(.token_serial):\(.note)"')"

call io.khoa.Handovers.Finalize "{\"id\":$id}" >"$TMP/out"
check_eq "finalized" "finalized root" "$(jqo '"\(.handover.state) \(.handover.finalized_by)"')"
call io.khoa.Handovers.AddRow "{\"id\":$id,\"serial\":\"$org\",\"reason\":\"other\"}" >"$TMP/out" || true
check_eq "AddRow after Finalize refused" "io.khoa.Finalized $id" "$(jqo '"\(.error) \(.parameters.id)"')"
call io.khoa.Handovers.RemoveRow "{\"id\":$id,\"number\":1}" >"$TMP/out" || true
check_eq "RemoveRow after Finalize refused" "io.khoa.Finalized" "$(jqo .error)"
call io.khoa.Handovers.Finalize "{\"id\":$id}" >"$TMP/out" || true
check_eq "Finalize twice refused" "io.khoa.Finalized" "$(jqo .error)"

call io.khoa.Custody.Get "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "custody follows: the receiver holds it" "Trần Văn Đức" "$(jqo .holder)"
check_eq "the chain" "$id:Sở Thông tin và Truyền thông>Trần Văn Đức:new-issue" \
	"$(jqo '[.chain[] | "\(.handover_id):\(.from)>\(.to):\(.reason)"] | join(" ")')"
await_event custody.moved "{\"serial\":\"$duc\"}" >"$TMP/ev" || true
check_contains "custody.moved reaches the token's watchers" \
	"\"type\": \"custody.moved\", \"token_serial\": \"$duc\"" "$(cat "$TMP/ev")"

# Passed on to Hường; then the mistake corrected by a handover superseding it.
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":2},\"receiver\":{\"person_id\":1},\"reason\":\"transfer\",\"serials\":[\"$duc\"]}" >"$TMP/out"
id2=$(jqo .handover.id)
call io.khoa.Handovers.Finalize "{\"id\":$id2}" >/dev/null
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":2},\"receiver\":{\"name\":\"  Phạm   Thu Hà \",\"agency\":\"Sở Tư pháp\"},
	\"reason\":\"transfer\",\"serials\":[\"$duc\"],\"supersedes\":$id2}" >"$TMP/out"
id3=$(jqo .handover.id)
check_eq "a party typed in full, its name tidied" "Phạm Thu Hà" "$(jqo .handover.receiver.name)"
call io.khoa.Handovers.Finalize "{\"id\":$id3}" >/dev/null
call io.khoa.Handovers.Get "{\"id\":$id2}" >"$TMP/out"
check_eq "the old handover marked superseded" "$id3" "$(jqo .handover.superseded_by)"
call io.khoa.Custody.Get "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "custody after the correction" "Phạm Thu Hà" "$(jqo .holder)"
check_eq "the superseded link left out of the chain" "$id $id3" "$(jqo '[.chain[].handover_id] | join(" ")')"
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":2},\"receiver\":{\"person_id\":1},\"reason\":\"transfer\",\"serials\":[\"$duc\"],\"supersedes\":$id2}" >"$TMP/out" || true
check_eq "a handover superseded once only" "io.khoa.InvalidField supersedes" "$(jqo '"\(.error) \(.parameters.field)"')"
call io.khoa.Handovers.List "{\"serial\":\"$duc\"}" >"$TMP/out"
check_eq "List by serial, newest first" "$id3 $id2 $id" "$(jqo '[.handovers[].id] | join(" ")')"
# A page at a time (issue 15): a handover a page, the pages together the
# list, the last without next.
check_eq "List by serial a page at a time" "$id3 $id2 $id |3" \
	"$(page_through call io.khoa.Handovers.List "{\"serial\":\"$duc\"}" '.handovers[].id')"
call io.khoa.Handovers.List >"$TMP/out"
check_eq "List a page at a time: the whole list" \
	"$(jqo '[.handovers[].id] | join(" ")') |$(jqo '.handovers | length')" \
	"$(page_through call io.khoa.Handovers.List '{}' '.handovers[].id')"
page_refusals "Handovers.List" call io.khoa.Handovers.List
call io.khoa.Handovers.Get '{"id":999}' >"$TMP/out" || true
check_eq "no such handover" "io.khoa.NoSuchHandover" "$(jqo .error)"
call io.khoa.Handovers.New '{"giver":{"person_id":2},"receiver":{"person_id":1},"reason":"transfer","serials":["0000000000000000"]}' >"$TMP/out" || true
check_eq "a row for a token no workstation has seen" "io.khoa.UnknownToken 0000000000000000" \
	"$(jqo '"\(.error) \(.parameters.serial)"')"
# Custody cannot be skipped (issue 16): the giver holds the token now.
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":2},\"receiver\":{\"person_id\":1},\"reason\":\"transfer\",\"serials\":[\"$duc\"]}" >"$TMP/out" || true
check_eq "R-CUSTODY: a giver who does not hold the token (Đức gave it to Phạm Thu Hà)" \
	"io.khoa.RuleViolation R-CUSTODY" "$(jqo '"\(.error) \(.parameters.rule)"')"
check_contains "  naming who holds it, by which handover" "in the custody of Phạm Thu Hà (handover $id3)" \
	"$(jqo .parameters.message)"
call io.khoa.Handovers.New "{\"giver\":{\"name\":\"Phạm Thu Hà\",\"agency\":\"Sở Tư pháp\"},\"receiver\":{\"person_id\":1},\"reason\":\"transfer\",\"serials\":[\"$duc\"]}" >"$TMP/out"
held=$(jqo .handover.id)
check_eq "  the one who holds it gives it" "draft 1" "$(jqo '"\(.handover.state) \(.handover.rows | length)"')"
# Meanwhile Phạm Thu Hà's handover is corrected: the draft no longer holds.
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":2},\"receiver\":{\"person_id\":1},\"reason\":\"transfer\",\"serials\":[\"$duc\"],\"supersedes\":$id3}" >"$TMP/out"
call io.khoa.Handovers.Finalize "{\"id\":$(jqo .handover.id)}" >/dev/null
call io.khoa.Handovers.Finalize "{\"id\":$held}" >"$TMP/out" || true
check_eq "R-CUSTODY asked again at Finalize, in its transaction: the custody moved since the draft" \
	"io.khoa.RuleViolation R-CUSTODY" "$(jqo '"\(.error) \(.parameters.rule)"')"
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":1},\"receiver\":{\"person_id\":2},\"reason\":\"transfer\",\"serials\":[\"$duc\",\"$duc\"]}" >"$TMP/out" || true
check_eq "a token twice in one handover" "io.khoa.InvalidField serial" \
	"$(jqo '"\(.error) \(.parameters.field)"')"

# The seal: the organization token, checked out and in.
call io.khoa.Custody.SealOut "{\"serial\":\"$org\",\"person_id\":2,\"purpose\":\"ký công văn\"}" >"$TMP/out" || true
check_eq "an unregistered token is no seal" "io.khoa.InvalidField serial" "$(jqo '"\(.error) \(.parameters.field)"')"
call io.khoa.Tokens.Register "{\"serial\":\"$org\",\"organization_id\":2}" >/dev/null
call io.khoa.Custody.SealOut "{\"serial\":\"$huong\",\"person_id\":2,\"purpose\":\"ký\"}" >"$TMP/out" || true
check_eq "a person's token is no seal" "io.khoa.InvalidField" "$(jqo .error)"
call io.khoa.Custody.SealOut "{\"serial\":\"$org\",\"person_id\":2,\"purpose\":\"ký công văn\"}" >"$TMP/out"
check_eq "checked out, not overdue" "Trần Văn Đức false" "$(jqo '"\(.entry.person_name) \(.entry.overdue)"')"
check_eq "due after khoad's --seal-due-hours (3)" "10800" \
	"$(jqo '(.entry.due_at | fromdateiso8601) - (.entry.out_at | fromdateiso8601)')"
call io.khoa.Custody.SealOut "{\"serial\":\"$org\",\"person_id\":1,\"purpose\":\"ký\"}" >"$TMP/out" || true
check_eq "out twice refused" "io.khoa.SealOut $org" "$(jqo '"\(.error) \(.parameters.serial)"')"
call io.khoa.Custody.SealIn "{\"serial\":\"$org\",\"note\":\"đã trả\"}" >"$TMP/out"
check_eq "checked in" "root" "$(jqo .entry.in_by)"
check_eq "  with its note, kept and shown (issue 16)" "đã trả" "$(jqo .entry.in_note)"
call io.khoa.Custody.SealIn "{\"serial\":\"$org\"}" >"$TMP/out" || true
check_eq "in when not out refused" "io.khoa.SealIn" "$(jqo .error)"

call io.khoa.Custody.SealOut "{\"serial\":\"$org\",\"person_id\":1,\"purpose\":\"ký gấp\",\"hours\":0}" >"$TMP/out"
check_eq "due at once" true "$(jqo .entry.overdue)"
await_event seal.overdue >"$TMP/ev" || true
check_contains "seal.overdue reaches the watchers" "\"type\": \"seal.overdue\", \"token_serial\": \"$org\"" \
	"$(tail -n 1 "$TMP/ev")"
call io.khoa.Tokens.History "{\"serial\":\"$org\"}" >"$TMP/out"
check_eq "seal.overdue raised once" 1 "$(jqo '[.events[] | select(.type == "seal.overdue")] | length')"
call io.khoa.Custody.SealLog "{\"serial\":\"$org\",\"open\":true}" >"$TMP/out"
check_eq "the open entry in the log" "1 ký gấp" "$(jqo '"\(.entries | length) \(.entries[0].purpose)"')"
call io.khoa.Custody.SealLog '{}' >"$TMP/out"
check_eq "the whole log, newest first" "2 1" "$(jqo '[.entries[].id] | join(" ")')"
check_eq "the log a page at a time" "2 1 |2" \
	"$(page_through call io.khoa.Custody.SealLog '{}' '.entries[].id')"
check_eq "the open entries a page at a time" "2 |1" \
	"$(page_through call io.khoa.Custody.SealLog "{\"serial\":\"$org\",\"open\":true}" '.entries[].id')"
page_refusals "Custody.SealLog" call io.khoa.Custody.SealLog
# Out on the seal register: not handed over until it is back (issue 16).
call io.khoa.Handovers.New "{\"giver\":{\"organization_id\":2},\"receiver\":{\"person_id\":1},
	\"reason\":\"transfer\",\"serials\":[\"$org\"]}" >"$TMP/out"
out_ho=$(jqo .handover.id)
call io.khoa.Handovers.Finalize "{\"id\":$out_ho}" >"$TMP/out" || true
check_eq "a token out on the seal register is not handed over" "io.khoa.SealOut $org" \
	"$(jqo '"\(.error) \(.parameters.serial)"')"
call io.khoa.Handovers.Get "{\"id\":$out_ho}" >"$TMP/out"
check_eq "  the handover stays a draft" draft "$(jqo .handover.state)"

# Roles: the seal needs the clerk.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	nobody=$(id -u nobody)
	nogroup=$(id -g nobody)
	techgroup=$(getent group users | cut -d: -f3)
	as_technician() { setpriv --reuid="$nobody" --regid="$nogroup" --groups="$techgroup" /usr/bin/python3 "$TMP/call.py" "$SOCK" "$@"; }
	as_technician io.khoa.Custody.SealIn "{\"serial\":\"$org\"}" >"$TMP/out" || true
	check_eq "SealIn refused without the clerk" "io.khoa.PermissionDenied clerk" "$(jqo '"\(.error) \(.parameters.role)"')"
	as_technician io.khoa.Custody.SealOut "{\"serial\":\"$org\",\"person_id\":1,\"purpose\":\"x\"}" >"$TMP/out" || true
	check_eq "SealOut refused without the clerk" "io.khoa.PermissionDenied clerk" "$(jqo '"\(.error) \(.parameters.role)"')"
	as_technician io.khoa.Custody.SealLog '{}' >"$TMP/out" || true
	check_eq "anyone reads the seal log" 2 "$(jqo '.entries | length')"
else
	ok "# SKIP roles: needs root and setpriv"
fi

# A change of manager drafts its handover.
call io.khoa.Managers.Record "{\"organization_id\":2,\"certificate_kind\":\"organization\",
	\"registered_name\":\"Văn phòng UBND tỉnh Thái Bình\",\"token_serial\":\"$org\",
	\"old_person_id\":2,\"new_person_id\":1,\"effective_on\":\"01/12/2026\",\"decision_number\":\"123/QĐ-UBND\"}" >"$TMP/out"
check_eq "the change recorded" "Trần Văn Đức>Nguyễn Thị Hường 2026-12-01 Văn thư" \
	"$(jqo '.change | "\(.old_manager)>\(.new_manager) \(.effective_on) \(.old_position)"')"
first=$(jqo .change.id)
hid=$(jqo .change.handover_id)
call io.khoa.Handovers.Get "{\"id\":$hid}" >"$TMP/out"
check_eq "its handover drafted from the old manager to the new" "draft Trần Văn Đức>Nguyễn Thị Hường $org:transfer" \
	"$(jqo '.handover | "\(.state) \(.giver.name)>\(.receiver.name) \(.rows[0].token_serial):\(.rows[0].reason)"')"
call io.khoa.Managers.List >"$TMP/out"
check_eq "the changes listed" 1 "$(jqo '.changes | length')"
call io.khoa.Managers.Record '{"organization_id":2,"certificate_kind":"person",
	"registered_name":"Trần Văn Đức","old_person_id":1,"new_person_id":2,
	"effective_on":"2026-12-15"}' >"$TMP/out"
second=$(jqo .change.id)
check_eq "the changes a page at a time, newest first" "$second $first |2" \
	"$(page_through call io.khoa.Managers.List '{}' '.changes[].id')"
page_refusals "Managers.List" call io.khoa.Managers.List
call io.khoa.Managers.Get '{"id":42}' >"$TMP/out" || true
check_eq "no such change" "io.khoa.NoSuchChange" "$(jqo .error)"
call io.khoa.Managers.Record "{\"organization_id\":2,\"certificate_kind\":\"person\",\"registered_name\":\"X\",
	\"old_person_id\":2,\"new_person_id\":9,\"effective_on\":\"2026-12-01\"}" >"$TMP/out" || true
check_eq "a new manager not in the registry" "io.khoa.NoSuchPerson" "$(jqo .error)"

# The seal stays in its agency (R-CUSTODY; issue 16): lent to a person of
# another one only when the clerk says so, which the event records.
call io.khoa.Custody.SealIn "{\"serial\":\"$org\"}" >/dev/null
call io.khoa.People.Create '{"full_name":"Phạm Văn Nam","id_number":"034090000321","organization_id":1}' >"$TMP/out"
nam=$(jqo .person.id)
call io.khoa.Custody.SealOut "{\"serial\":\"$org\",\"person_id\":$nam,\"purpose\":\"ký hộ\"}" >"$TMP/out" || true
check_eq "the seal lent to a person of another agency: refused" "io.khoa.RuleViolation R-CUSTODY" \
	"$(jqo '"\(.error) \(.parameters.rule)"')"
call io.khoa.Custody.SealOut "{\"serial\":\"$org\",\"person_id\":$nam,\"purpose\":\"ký hộ\",\"another_agency\":true}" >"$TMP/out"
check_eq "  lent when the clerk says so" "Phạm Văn Nam" "$(jqo .entry.person_name)"
call io.khoa.Tokens.History "{\"serial\":\"$org\"}" >"$TMP/out"
check_eq "  which the event records" "true" \
	"$(jqo '[.events[] | select(.type == "seal.out")][-1].details.another_agency')"
call io.khoa.Custody.SealIn "{\"serial\":\"$org\"}" >/dev/null

done_testing
