#!/usr/bin/env bash
# Personal data is need-to-know (issue 13, item 5): ID numbers, sex, birth
# dates and places, phones and a person's address go only to the person
# themself, the clerk of their organization (or of one above it),
# technicians and admins; anyone else gets the records without those fields
# (absent, named in "withheld"), names and serials still there. The same for
# PIN-recovery forms, handover parties, lifecycle requests and the events of
# Events.Watch (replayed and live) and Tokens.History.
#
# The callers are real users of a Debian base system (setpriv), as in
# access.sh: games is Hường (Sở Tài chính), man is Đức (Văn phòng UBND), lp
# is Mai, Sở Tài chính's clerk by her record, mail is Văn phòng UBND's clerk
# by [clerks], news in group users a technician, nobody a stranger, root
# admin. Bình works in a unit under Sở Tài chính: its clerk sees his too.
# Each caller's counts are printed ("# nobody: people 0/4 …").
. "$(dirname "$0")/lib.sh"

access_callers

ascall() {	# ascall WHO METHOD [PARAMS] [--more N]: the method as WHO, into $TMP/out
	as_call "$@" >"$TMP/out"
}
askhoa() {
	local who=$1
	shift
	as "$who" "$KHOA" --socket "$SOCK" "$@"
}

# jq: the personal keys, and the objects of the last answer carrying one.
PERSONAL='["id_number","id_issued_on","id_issued_by","sex","birth_date","birth_place","phone","fax","manager_phone"]'
has_personal='def personal: . as $o | ($keys | map(. as $k | $o | has($k)) | any);'
count() { jq -r --argjson keys "$PERSONAL" "$has_personal $1" "$TMP/out"; }

make_tokens
start_khoad

# ----- the registry
make_agencies
call io.khoa.Organizations.Create "{\"name\":\"Phòng Kế toán\",\"parent_id\":$finance}" >"$TMP/out"
unit=$(j .organization.id)
binh_id=$(_person "Phạm Văn Bình" 034088000555 1988-08-08 "$unit" 0915000222)

huong=$(token_serial "Nguyen Thi Huong")
duc=$(token_serial "Tran Van Duc")
org_token=$(token_serial "Van phong UBND")
call io.khoa.Tokens.Register "{\"serial\":\"$huong\",\"person_id\":$huong_id}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$duc\",\"person_id\":$duc_id}" >/dev/null
call io.khoa.Tokens.Register "{\"serial\":\"$org_token\",\"organization_id\":$office}" >/dev/null

# Three PIN-recovery forms: Hường's and Đức's filed by themselves, the
# office's by root; every personal field of Mẫu 09 filled.
fields='{"sex":"Nữ","birth_place":"Thái Bình","id_issued_on":"2021-04-10","id_issued_by":"Cục Cảnh sát QLHC về TTXH","phone":"0912345678","fax":"02273831234","manager_phone":"0227383100"}'
ascall games io.khoa.PinRequests.New "{\"serial\":\"$huong\",\"reason\":\"Quên mật khẩu\",\"fields\":$fields}"
huong_req=$(j .request.id)
check_eq "the holder files her request and sees her own form" "034186000123 Thái Bình" \
	"$(j '"\(.request.form.id_number) \(.request.form.birth_place)"')"
ascall man io.khoa.PinRequests.New "{\"serial\":\"$duc\",\"reason\":\"Khóa PIN\",\"fields\":$fields}"
call io.khoa.PinRequests.New "{\"serial\":\"$org_token\",\"reason\":\"Quên mật khẩu\",\"fields\":{\"manager_phone\":\"0227383100\"}}" >"$TMP/out"
org_req=$(j .request.id)

# A lifecycle request for Hường, and two handovers: Hường to a party typed
# in full (each with an address), the office to Đức.
call io.khoa.Requests.New "{\"kind\":\"new\",\"person_id\":$huong_id}" >"$TMP/out"
lc_req=$(j .request.id)
call io.khoa.Handovers.New "{\"giver\":{\"person_id\":$huong_id,\"address\":\"Thôn Đông, Vũ Thư\"},\"receiver\":{\"name\":\"Lê Văn An\",\"agency\":\"Công ty ABC\",\"address\":\"Số 5 Lý Thường Kiệt\"},\"reason\":\"transfer\",\"serials\":[\"$huong\"]}" >"$TMP/out"
h1=$(j .handover.id)
call io.khoa.Handovers.New "{\"giver\":{\"organization_id\":$office},\"receiver\":{\"person_id\":$duc_id,\"address\":\"Số 9 Trần Hưng Đạo\"},\"reason\":\"transfer\",\"serials\":[\"$org_token\"]}" >"$TMP/out"
h2=$(j .handover.id)
call io.khoa.Events.Last >"$TMP/out"
last=$(j .id)

# ----- what each caller reads
# sees WHO PEOPLE FORMS EVENTS PARTIES: how many people, PIN-recovery forms,
# events and handover parties (not organizations) WHO gets with their
# personal fields, of how many.
sees() {
	local who=$1 people forms events parties
	ascall "$who" io.khoa.People.List
	people="$(count '[.people[] | select(personal)] | length')/$(j '.people | length')"
	check_eq "$who: every person's name is there" "4" "$(j '[.people[] | select(.full_name != "")] | length')"
	ascall "$who" io.khoa.PinRequests.List
	forms="$(count '[.requests[].form | select(personal)] | length')/$(j '.requests | length')"
	check_eq "$who: every form's subscriber and token are there" "3" \
		"$(j '[.requests[] | select(.form.subscriber_name != "" and .form.token_serial != "")] | length')"
	ascall "$who" io.khoa.Events.Watch '{"since":0}' --more "$last"
	events="$(jq -rs --argjson keys "$PERSONAL" "$has_personal"' [.[].event.details | select(personal)] | length' "$TMP/out")/$(wc -l <"$TMP/out")"
	ascall "$who" io.khoa.Handovers.List
	parties="$(j '[.handovers[] | .giver, .receiver | select(.organization_id == null and has("address"))] | length')/$(j '[.handovers[] | .giver, .receiver | select(.organization_id == null)] | length')"
	check_eq "$who: an organization's address is everyone's" "Số 76 Lê Lợi" \
		"$(j ".handovers[] | select(.id == $h2) | .giver.address")"
	echo "# $who: people $people, PIN-recovery forms $forms, events $events, handover parties $parties"
	check_eq "$who sees the personal data of" "$2 $3 $4 $5" "$people $forms $events $parties"
}
# people: 4; forms: Hường's, Đức's, the office's; events: 4 person.created,
# 3 person.updated (logins) of $last; parties: Hường, the one typed in
# full, Đức.
sees nobody 0/4 0/3 "0/$last" 0/3
sees man 1/4 1/3 "2/$last" 1/3		# Đức: his own
sees mail 1/4 2/3 "2/$last" 1/3		# the office's clerk: Đức, the office's token
sees games 1/4 1/3 "2/$last" 1/3	# Hường: her own
sees lp 3/4 1/3 "5/$last" 2/3		# Sở Tài chính's clerk: Hường, Mai, Bình below
sees tech 4/4 3/3 "7/$last" 3/3
sees root 4/4 3/3 "7/$last" 3/3

# ----- absent, not empty; named in "withheld"; the rest as it was
ascall nobody io.khoa.People.Get "{\"id\":$huong_id}"
check_eq "a stranger gets a person without id_number, birth_date, phone" \
	"false false false Nguyễn Thị Hường" \
	"$(j '"\(.person | has("id_number")) \(.person | has("birth_date")) \(.person | has("phone")) \(.person.full_name)"')"
check_eq "and is told which were withheld" '["id_number","id_issued_on","id_issued_by","sex","birth_date","birth_place","phone","fax","address"]' \
	"$(j '.person.withheld | tojson')"
ascall nobody io.khoa.PinRequests.Get "{\"id\":$huong_req}"
check_eq "a stranger gets the form without a single personal key" "0" \
	"$(count '[.. | objects | select(personal)] | length')"
check_eq "with its subscriber, token, state and dates" "NGUYỄN THỊ HƯỜNG $huong filed true" \
	"$(j '"\(.request.form.subscriber_name) \(.request.form.token_serial) \(.request.state) \(.request.filed_at != null)"')"
ascall mail io.khoa.PinRequests.Get "{\"id\":$org_req}"
check_eq "the office's clerk sees the office token's form" "0227383100" \
	"$(j .request.form.manager_phone)"
ascall lp io.khoa.PinRequests.Get "{\"id\":$org_req}"
check_eq "another agency's clerk does not" "false" "$(j '.request.form | has("manager_phone")')"
ascall tech io.khoa.PinRequests.Get "{\"id\":$huong_req}"
check_eq "a technician sees every field of the form" "female 02273831234 Cục Cảnh sát QLHC về TTXH" \
	"$(j '"\(.request.form.sex) \(.request.form.fax) \(.request.form.id_issued_by)"')"
for who in nobody man mail; do
	ascall "$who" io.khoa.Requests.Get "{\"id\":$lc_req}"
	check_eq "$who: a lifecycle request carries nothing personal, its subject named" \
		"0 Nguyễn Thị Hường" "$(count '[.. | objects | select(personal)] | length') $(j .request.subject_name)"
	ascall "$who" io.khoa.Requests.List
	check_eq "$who: nor do the lifecycle requests listed" "0" \
		"$(count '[.. | objects | select(personal)] | length')"
	ascall "$who" io.khoa.Handovers.Get "{\"id\":$h1}"
	check_eq "$who: a person party's and a typed party's address withheld, names there" \
		"false false Nguyễn Thị Hường Lê Văn An" \
		"$(j '"\(.handover.giver | has("address")) \(.handover.receiver | has("address")) \(.handover.giver.name) \(.handover.receiver.name)"')"
	ascall "$who" io.khoa.Tokens.History "{\"serial\":\"$huong\"}"
	check_eq "$who: a token's history carries nothing personal" "0" \
		"$(count '[.. | objects | select(personal)] | length')"
done
ascall games io.khoa.Handovers.Get "{\"id\":$h1}"
check_eq "Hường sees her own address on the handover, not the other party's" \
	"Thôn Đông, Vũ Thư false" "$(j '"\(.handover.giver.address) \(.handover.receiver | has("address"))"')"
ascall lp io.khoa.Handovers.Get "{\"id\":$h1}"
check_eq "her agency's clerk sees both" "Thôn Đông, Vũ Thư Số 5 Lý Thường Kiệt" \
	"$(j '"\(.handover.giver.address) \(.handover.receiver.address)"')"
# An organization's representative showed an ID card (R-HANDOVER): the
# organization's address is everyone's, the card is the representative's.
call io.khoa.Handovers.New "{\"giver\":{\"organization_id\":$office,\"representative\":\"Nguyễn Văn Bảo\",\"introduction_letter\":\"Giấy giới thiệu số 7/GGT\",\"id_number\":\"034086000555\",\"id_issued_on\":\"10/04/2021\",\"id_issued_by\":\"Cục Cảnh sát QLHC về TTXH\"},\"receiver\":{\"name\":\"Kho lưu trữ\"},\"reason\":\"transfer\",\"serials\":[\"$org_token\"]}" >"$TMP/out"
h3=$(j .handover.id)
ascall nobody io.khoa.Handovers.Get "{\"id\":$h3}"
check_eq "a stranger: the representative and letter, the address, not the ID card" \
	"Nguyễn Văn Bảo|Giấy giới thiệu số 7/GGT|Số 76 Lê Lợi|false|id_number,id_issued_on,id_issued_by" \
	"$(j '.handover.giver | [.representative, .introduction_letter, .address, has("id_number"), (.withheld | join(","))] | join("|")')"
ascall mail io.khoa.Handovers.Get "{\"id\":$h3}"
check_eq "the office's clerk sees it" "034086000555 2021-04-10" \
	"$(j '"\(.handover.giver.id_number) \(.handover.giver.id_issued_on)"')"

# ----- live events: each watcher as its caller may see it
WITHHELD='["id_number","id_issued_on","id_issued_by","sex","birth_date","birth_place","phone","fax","address"]'
for who in nobody lp tech; do
	as "$who" /usr/bin/python3 "$TMP/call.py" "$SOCK" io.khoa.Events.Watch \
		"{\"since\":$last}" --more 1000000 >"$TMP/watch-$who" 2>&1 &
done
call io.khoa.People.Update "{\"id\":$huong_id,\"phone\":\"0912000999\"}" >"$TMP/out"
check_eq "a technician's Update shows the person whole" "0912000999" "$(j .person.phone)"
for who in nobody lp tech; do
	wait_for_line "$TMP/watch-$who" person.updated
done
check_eq "a stranger watching gets person.updated without the phone" "false $WITHHELD" \
	"$(jq -r 'select(.event.type == "person.updated") | "\(.event.details | has("phone")) \(.event.details.withheld | tojson)"' "$TMP/watch-nobody")"
check_eq "her agency's clerk watching gets it with the phone" "0912000999" \
	"$(jq -r 'select(.event.type == "person.updated") | .event.details.phone' "$TMP/watch-lp")"
check_eq "a technician watching too" "0912000999 034186000123" \
	"$(jq -r 'select(.event.type == "person.updated") | "\(.event.details.phone) \(.event.details.id_number)"' "$TMP/watch-tech")"

# ----- what the forms ask of a person, kept in the record (issue 17): as
# personal as the ID number
call io.khoa.People.Update "{\"id\":$huong_id,\"sex\":\"Nữ\",\"birth_place\":\"Vũ Thư, Thái Bình\",\"id_issued_on\":\"10/04/2021\",\"id_issued_by\":\"Cục Cảnh sát QLHC về TTXH\",\"address\":\"Thôn Đông, Vũ Thư\",\"fax\":\"0227 383 1234\"}" >"$TMP/out"
DETAILS='"\(.person.sex)|\(.person.birth_place)|\(.person.id_issued_on)|\(.person.id_issued_by)|\(.person.address)|\(.person.fax)"'
check_eq "a technician keeps them, normalized" \
	"female|Vũ Thư, Thái Bình|2021-04-10|Cục Cảnh sát QLHC về TTXH|Thôn Đông, Vũ Thư|02273831234" "$(j "$DETAILS")"
for who in games lp tech; do
	ascall "$who" io.khoa.People.Get "{\"id\":$huong_id}"
	check_eq "$who sees them" \
		"female|Vũ Thư, Thái Bình|2021-04-10|Cục Cảnh sát QLHC về TTXH|Thôn Đông, Vũ Thư|02273831234" \
		"$(j "$DETAILS")"
done
for who in nobody man mail; do
	ascall "$who" io.khoa.People.Get "{\"id\":$huong_id}"
	check_eq "$who does not: none of them, each named withheld" "0 6 Nguyễn Thị Hường" \
		"$(count '[.person | select(personal)] | length') $(j '[.person.withheld[] | select(. == "sex" or . == "birth_place" or . == "id_issued_on" or . == "id_issued_by" or . == "address" or . == "fax")] | length') $(j .person.full_name)"
	ascall "$who" io.khoa.People.List
	check_eq "$who: nor in the list" "0" "$(count '[.people[] | select(.id == '"$huong_id"') | select(personal)] | length')"
done
askhoa nobody person show "$huong_id" >"$TMP/out"
check_eq "khoa person show to a stranger: each said so" "Sex:(not shown to you) Address:(not shown to you) Fax:(not shown to you)" \
	"$(grep -E '^(Sex|Address|Fax):' "$TMP/out" | tr -s ' ' | sed 's/: /:/' | tr '\n' ' ' | sed 's/ $//')"
check_eq "and not the address" "" "$(grep 'Thôn Đông' "$TMP/out" || true)"
askhoa games person show "$huong_id" >"$TMP/out"
check_eq "to herself, by its name" "Sex: female" "$(grep '^Sex:' "$TMP/out" | tr -s ' ')"
check_contains "the day of issue as dd/mm/yyyy" "10/04/2021" "$(cat "$TMP/out")"
check_eq "in Vietnamese, as the forms say it" "Giới tính: Nữ" \
	"$(LANGUAGE=vi askhoa games person show "$huong_id" | grep -F 'Giới tính' | tr -s ' ')"

# ----- the client: withheld is said, not shown as empty
askhoa nobody person show "$huong_id" >"$TMP/out"
check_contains "khoa person show: a withheld field is said so" "(not shown to you)" "$(cat "$TMP/out")"
check_contains "and the name is there" "Nguyễn Thị Hường" "$(cat "$TMP/out")"
check_eq "and not the number" "" "$(grep 034186000123 "$TMP/out" || true)"
check_contains "in Vietnamese" "(bạn không được xem)" "$(LANGUAGE=vi askhoa nobody person show "$huong_id")"
askhoa nobody person list >"$TMP/out"
check_eq "khoa person list shows no ID number to a stranger" "" \
	"$(grep -E '0341|0340' "$TMP/out" || true)"
askhoa games person show "$huong_id" >"$TMP/out"
check_contains "the person herself sees her number" "034186000123" "$(cat "$TMP/out")"
askhoa nobody pin-request show "$huong_req" >"$TMP/out"
check_contains "khoa pin-request show: the form's withheld fields said so" "(not shown to you)" \
	"$(cat "$TMP/out")"
check_eq "and not listed as missing (only what is empty is)" "Missing: Position, E-mail" \
	"$(grep '^Missing:' "$TMP/out")"
check_status "khoa print pin-request as a stranger prints the form" 0 \
	as nobody "$KHOA" --socket "$SOCK" print pin-request "$huong_req" --format text
check_eq "without the number" "" "$(grep 034186000123 "$TMP/out" || true)"
check_contains "with the subscriber" "NGUYỄN THỊ HƯỜNG" "$(cat "$TMP/out")"
check_status "khoa print handover as a stranger prints the minutes" 0 \
	as nobody "$KHOA" --socket "$SOCK" print handover "$h1" --format text
check_eq "without the addresses" "" "$(grep -E 'Thôn Đông|Lý Thường Kiệt' "$TMP/out" || true)"

done_testing
