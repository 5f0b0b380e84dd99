#!/usr/bin/env bash
# Kept once, filled everywhere (issue 17, item 4): khoa pin-request new asks
# on a terminal only what neither the command line nor the registry gives;
# an answer that breaks a rule is refused as it is typed and that field
# alone is asked again, the others kept (a rule only khoad can check, the
# birth year a CCCD encodes: filed, refused naming the field, that field
# asked again, filed again). At the end the answers the person's record
# lacks are offered to it, and kept there when accepted — only to a caller
# who may change the record (People.Get's may_update). A terminal is a pty
# (prompt.py types the answers); without one nothing is asked.
. "$(dirname "$0")/lib.sh"

as_roles	# the holder asks as an official (nobody): no role
make_tokens
start_khoad

prompt() {	# prompt TRANSCRIPT PROMPT ANSWER… -- COMMAND…
	python3 "$SOURCE_ROOT/tests/integration/prompt.py" "$@"
}
# asked T PROMPT: how many times the transcript T asked PROMPT before the
# request was filed (each asked once: 1), the form shown after not counted
asked() {
	sed -n '1,/^\(PIN-recovery request .* is filed\|Đã lập yêu cầu\)/p' "$1" | grep -c "^$2" || true
}

khoa --json org create --name "Văn phòng UBND tỉnh Thái Bình" >"$TMP/out"
office=$(j .organization.id)
# Đức's record has his CCCD, not his birth date: the form asks for it.
khoa --json person create --name "Trần Văn Đức" --id-number 034087654321 --org "$office" \
	--phone 0987654321 >"$TMP/out"
duc_id=$(j .person.id)
duc=$(token_serial "Tran Van Duc")
khoa register "$duc" --holder "$duc_id" >/dev/null

# ----- root (an admin, who may change the record) files for Đức's token
prompt "$TMP/t1" \
	"Sex (male or female): " "x" \
	"Sex (male or female): " "Nam" \
	"Date of birth (dd/mm/yyyy): " "01/01/1990" \
	"Place of birth: " "Kiến Xương" \
	"ID issued on (dd/mm/yyyy): " "05/06/2020" \
	"ID issued by: " "Cục Cảnh sát QLHC về TTXH" \
	"Position: " "" \
	"Fax: " "" \
	"E-mail: " "duc@@thaibinh" \
	"E-mail: " "duc@thaibinh.gov.vn" \
	"Phone of the device's manager: " "0227 3831 234" \
	"Date of birth (dd/mm/yyyy): " "02/05/1987" \
	"[y/N] " "y" \
	-- "$KHOA" --socket "$SOCK" pin-request new "$duc" --reason "Quên mật khẩu" &&
	ok "pin-request new on a terminal: filed" || not_ok "pin-request new on a terminal: filed"
sed 's/^/# /' "$TMP/t1"
check_eq "a bad e-mail is refused as typed, saying why" 1 \
	"$(grep -c "^khoa: invalid e-mail address: " "$TMP/t1")"
check_eq "  and only the e-mail asked again" "2 1 1 1 1 1" \
	"$(for p in "E-mail:" "Place of birth:" "ID issued on" "ID issued by:" "Position:" "Fax:"; do
		asked "$TMP/t1" "$p"; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "a sex that is no code: refused, asked again" "2 1" \
	"$(asked "$TMP/t1" "Sex (male or female):") $(grep -c "^khoa: invalid sex: " "$TMP/t1")"
check_eq "a birth date the CCCD contradicts: khoad refuses it, naming it" 1 \
	"$(grep -c "^khoa: invalid date of birth: " "$TMP/t1")"
check_eq "  it alone is asked again, nothing else" "2 2 1" \
	"$(asked "$TMP/t1" "Date of birth") $(asked "$TMP/t1" "E-mail:") $(asked "$TMP/t1" "Phone of the device")"
check_contains "  then filed" "PIN-recovery request 1 is filed for token $duc." "$(cat "$TMP/t1")"
khoa --json pin-request show 1 >"$TMP/out"
check_eq "the form has every answer, none lost to the refusals" \
	"male|1987-05-02|Kiến Xương|2020-06-05|Cục Cảnh sát QLHC về TTXH|duc@thaibinh.gov.vn|02273831234|0987654321" \
	"$(j '.request.form | "\(.sex)|\(.birth_date)|\(.birth_place)|\(.id_issued_on)|\(.id_issued_by)|\(.email)|\(.manager_phone)|\(.phone)"')"
check_contains "the answers the record lacks are offered to it, the device manager's phone not" \
	"Keep these answers in the registry's record of Trần Văn Đức, for the next forms (Sex, Date of birth, Place of birth, ID issued on, ID issued by, E-mail)? [y/N] y" \
	"$(cat "$TMP/t1")"
check_contains "  kept" "Kept in the record of Trần Văn Đức." "$(cat "$TMP/t1")"
khoa --json person show "$duc_id" >"$TMP/out"
check_eq "  in the record now, as khoad normalized them" \
	"male|1987-05-02|Kiến Xương|2020-06-05|Cục Cảnh sát QLHC về TTXH|duc@thaibinh.gov.vn|0987654321" \
	"$(j '.person | "\(.sex)|\(.birth_date)|\(.birth_place)|\(.id_issued_on)|\(.id_issued_by)|\(.email)|\(.phone)"')"

# ----- the next form asks only what the record still lacks
khoa pin-request cancel 1 --note "thử lại" >/dev/null
prompt "$TMP/t2" \
	"Position: " "" \
	"Fax: " "" \
	"Phone of the device's manager: " "" \
	-- "$KHOA" --socket "$SOCK" pin-request new "$duc" --reason "Khóa PIN" &&
	ok "the next request: filed" || not_ok "the next request: filed"
sed 's/^/# /' "$TMP/t2"
check_eq "  nothing the record keeps is asked" "0 0 0 0 0" \
	"$(for p in "Sex" "Date of birth" "Place of birth" "ID issued" "E-mail"; do
		asked "$TMP/t2" "$p"; done | tr '\n' ' ' | sed 's/ $//')"
check_eq "  and nothing is offered when nothing was answered" "" \
	"$(grep -F '[y/N]' "$TMP/t2" || true)"
khoa --json pin-request show 2 >"$TMP/out"
check_eq "  the form filled from the record without typing" \
	"male|Kiến Xương|2020-06-05|Cục Cảnh sát QLHC về TTXH|duc@thaibinh.gov.vn" \
	"$(j '.request.form | "\(.sex)|\(.birth_place)|\(.id_issued_on)|\(.id_issued_by)|\(.email)"')"

# ----- the holder files for her own token: she may not change her record
khoa --json person create --name "Lê Quang Vỹ" --id-number 034089000128 --org "$office" >"$TMP/out"
vy_id=$(j .person.id)
vy=$(token_serial "Le Quang Vy")
khoa register "$vy" --holder "$vy_id" >/dev/null
khoa person update "$vy_id" --login nobody >/dev/null
as_official io.khoa.People.Get "{\"id\":$vy_id}" >"$TMP/out"
check_eq "People.Get tells the holder she may not change her record" false "$(j .may_update)"
check_eq "  and root that he may" true "$(call io.khoa.People.Get "{\"id\":$vy_id}" | jq -r .may_update)"
prompt "$TMP/t3" \
	"Sex (male or female): " "Nữ" \
	"Date of birth (dd/mm/yyyy): " "" \
	"Place of birth: " "Thái Thụy" \
	"ID issued on (dd/mm/yyyy): " "" \
	"ID issued by: " "" \
	"Position: " "" \
	"Phone: " "" \
	"Fax: " "" \
	"E-mail: " "" \
	"Phone of the device's manager: " "" \
	-- setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	"$TMP/khoa" --socket "$SOCK" pin-request new "$vy" --reason "Quên mật khẩu" &&
	ok "the holder files on a terminal" || not_ok "the holder files on a terminal"
sed 's/^/# /' "$TMP/t3"
check_eq "  her answers are on the form" "female Thái Thụy" \
	"$(khoa --json pin-request show 3 | jq -r '.request.form | "\(.sex) \(.birth_place)"')"
check_eq "  and not offered to a record she may not change" "" "$(grep -F '[y/N]' "$TMP/t3" || true)"
check_eq "  which stays as it was" "false false" \
	"$(khoa --json person show "$vy_id" | jq -r '.person | "\(has("sex")) \(has("birth_place"))"')"

# ----- in Vietnamese; and without a terminal nothing is asked
khoa pin-request cancel 2 --note "thử lại" >/dev/null
LANGUAGE=vi prompt "$TMP/t4" \
	"Chức vụ: " "" \
	"Fax: " "" \
	"Điện thoại cán bộ quản lý thiết bị: " "12" \
	"Điện thoại cán bộ quản lý thiết bị: " "" \
	-- "$KHOA" --socket "$SOCK" pin-request new "$duc" --reason "Khóa PIN" &&
	ok "in Vietnamese: filed" || not_ok "in Vietnamese: filed"
sed 's/^/# /' "$TMP/t4"
check_eq "  a bad phone said in Vietnamese, that field asked again" 2 \
	"$(asked "$TMP/t4" "Điện thoại cán bộ quản lý thiết bị")"
check_contains "  the refusal" "khoa: " "$(grep -v "^Điện thoại" "$TMP/t4" | grep -F 'không hợp lệ' || true)"
khoa pin-request cancel 4 --note "thử lại" >/dev/null
check_status "without a terminal: nothing asked" 0 khoa pin-request new "$duc" --reason "Khóa PIN" \
	</dev/null
check_eq "  no prompt on its output" "" "$(grep -F 'still lacks' "$TMP/out" || true)"

done_testing
