#!/usr/bin/env bash
# Handovers (Mẫu 10), custody, the seal register and manager changes (Mẫu
# 08) as a technician and a records clerk use them, through the real khoa
# client and the real daemon: the rows of a handover are read from the
# devices (token serials as pkcs11-tool reads them, certificate serials as
# openssl prints them), a finalized handover no longer changes and moves
# custody, the seal token goes out and comes back in the register, and
# khoa print renders the form.
. "$(dirname "$0")/lib.sh"

if ! grep -q Handovers "$SOURCE_ROOT/proto/meson.build"; then
	echo "1..0 # SKIP daemon side not there yet"
	exit 0
fi

make_tokens
# the place the forms are dated and held at when a handover names none
printf '[forms]\nplace = Thái Bình\n' >>"$TMP/khoad.conf"
start_khoad

out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }

huong=$(token_serial "Nguyen Thi Huong")
duc=$(token_serial "Tran Van Duc")
office=$(token_serial "Van phong UBND")

# The certificate serials of the token LABEL, as openssl prints them, one a line.
cert_serials() {
	local id
	for id in $(p11 --token-label "$1" -O --type cert | sed -n 's/^ *ID: *//p'); do
		p11 --token-label "$1" --read-object --type cert --id "$id" -o "$TMP/c.der" >/dev/null
		openssl x509 -inform DER -in "$TMP/c.der" -noout -serial | sed 's/^serial=//'
	done
}

# ----- the registry the handover names
khoa org create --name "Sở Thông tin và Truyền thông" >/dev/null
khoa org create --name "Văn phòng UBND tỉnh Thái Bình" --parent 1 >/dev/null
khoa person create --name "Nguyễn Thị Hường" --id-number 034186000123 --org 2 \
	--position "Văn thư" >/dev/null
khoa person create --name "Trần Văn Đức" --id-number 034186000124 --org 2 \
	--position "Chánh Văn phòng" >/dev/null
khoa register "$huong" --holder 1 >/dev/null
khoa register "$office" --org 2 >/dev/null

# ----- tokens --holder
check_status "tokens --holder" 0 khoa tokens --holder "HƯỜNG"
check_contains "tokens --holder: the holder's token, whatever the case" "$huong" "$(out)"
check_eq "tokens --holder: only hers" "" "$(grep "^$duc" "$TMP/out" || true)"
check_status "tokens --holder without the diacritics (issue 17)" 0 khoa tokens --holder "nguyen thi huong"
check_contains "  finds Nguyễn Thị Hường's token" "$huong" "$(out)"
check_status "tokens --holder in capitals without the diacritics" 0 khoa tokens --holder "VAN PHONG UBND TINH THAI BINH"
check_contains "  finds Văn phòng UBND tỉnh Thái Bình's" "$office" "$(out)"
check_status "tokens --holder that matches nobody" 0 khoa tokens --holder "Lê Văn"
check_contains "says so" "Lê Văn" "$(out)"
check_eq "tokens --holder --json keeps the answer's shape" "$huong" \
	"$(khoa --json tokens --holder hường | jq -r '.tokens[].serial')"

# ----- a handover of three tokens on the desk
check_status "handover new: a reason that is not one" 64 \
	khoa handover new --from org:1 --to person:1 --reason lost
check_contains "  lists the reasons" "pin-recovery-return" "$(err)"
check_contains "handover --help lists the reasons with their names" "returned after PIN recovery" \
	"$(khoa handover --help)"
check_status "handover new: no --to" 64 khoa handover new --from org:1 --reason new-issue
check_status "handover new" 0 khoa handover new --from org:1 --to org:2 --reason "New issue" \
	--place "Thái Bình" --serial "$huong" --serial "$duc" --serial "$office"
check_contains "  shows the draft" "Handover minutes of private-key storage devices" "$(out)"
check_contains "  says what comes next" "Next: khoa handover finalize" "$(out)"
khoa --json handover list >"$TMP/list.json"
id=$(jq -r '.handovers[0].id' "$TMP/list.json")
khoa --json handover show "$id" >"$TMP/h.json"
check_eq "three rows" 3 "$(jq '.handover.rows | length' "$TMP/h.json")"
check_eq "rows' token serials equal pkcs11-tool's" \
	"$(printf '%s\n' "$huong" "$duc" "$office" | sort)" \
	"$(jq -r '.handover.rows[].token_serial' "$TMP/h.json" | sort)"
for label in "Nguyen Thi Huong" "Tran Van Duc" "Van phong UBND"; do
	serial=$(token_serial "$label")
	got=$(jq -r --arg s "$serial" '.handover.rows[] | select(.token_serial == $s) | .certificate_serial' "$TMP/h.json")
	check_contains "$label: certificate serial as openssl prints it" "$got" "$(cert_serials "$label")"
	check_eq "$label: verified on the device" true \
		"$(jq -r --arg s "$serial" '.handover.rows[] | select(.token_serial == $s) | .verified_on_device' "$TMP/h.json")"
done
check_status "handover show" 0 khoa handover show "$id"
check_contains "  the row of the registered holder" "Nguyễn Thị Hường" "$(grep "$huong" "$TMP/out")"
check_contains "  its reason, in words" "new issue" "$(grep "$huong" "$TMP/out")"
check_contains "  its validity as dd/mm/yyyy" "/20" "$(grep "$huong" "$TMP/out")"

# A token of the registry that is not on the desk is flagged.
blank=$(token_serial "Blank token")
khoa register "$blank" --holder 2 >/dev/null
softhsm2-util --delete-token --token "Blank token" >/dev/null 2>&1
khoa rescan >/dev/null
check_status "add a token absent from the desk" 0 khoa handover add "$id" "$blank" --reason other \
	--note "mang về sau"
check_contains "  flagged" "not verified on device" "$(grep "$blank" "$TMP/out")"
check_contains "  with its note" "mang về sau" "$(grep "$blank" "$TMP/out")"
check_status "remove it (row 4)" 0 khoa handover remove "$id" 4
check_eq "  gone" "" "$(grep "$blank" "$TMP/out" || true)"
check_status "add a token neither on the desk nor in the registry" 1 \
	khoa handover add "$id" 00AB12CD --reason other
check_contains "  says which" "00AB12CD" "$(err)"
check_status "remove: a row number that is not one" 64 khoa handover remove "$id" four

LANGUAGE=vi check_status "Vietnamese: handover show" 0 khoa handover show "$id"
check_contains "  title" "Biên bản giao nhận" "$(out)"
check_contains "  reason" "cấp mới" "$(out)"

check_status "finalize" 0 khoa handover finalize "$id"
check_contains "  custody passes to the receiver" "Văn phòng UBND tỉnh Thái Bình" "$(head -n1 "$TMP/out")"
check_contains "tokens --holder follows custody: Đức's token is with the receiver now" "$duc" \
	"$(khoa --json tokens --holder "văn phòng ubnd" | jq -r '.tokens[].serial')"
check_eq "  the token list says who has it" "Văn phòng UBND tỉnh Thái Bình" \
	"$(khoa --json token "$duc" | jq -r .token.registration.custodian)"
check_status "add after finalize" 1 khoa handover add "$id" "$duc" --reason transfer
check_contains "  refused, saying how to correct it" "--supersedes $id" "$(err)"
LANGUAGE=vi check_status "Vietnamese: add after finalize" 1 khoa handover add "$id" "$duc" --reason transfer
check_contains "  refused in Vietnamese" "đã hoàn tất" "$(err)"
check_status "show of a handover that is not" 1 khoa handover show 999
check_contains "  says which" "999" "$(err)"

check_status "handover list --serial" 0 khoa handover list --serial "$duc"
check_contains "  the handover" "$id" "$(out)"

# Without --serial, every token on the desk becomes a row.
check_status "handover new of the whole desk" 0 khoa handover new --from person:1 --to person:2 \
	--reason transfer
desk=$(khoa --json handover list | jq -r '[.handovers[].id] | max')
check_eq "  a row per token pkcs11-tool sees" "$(p11 -L | sed -n 's/^ *serial num *: *//p' | sort)" \
	"$(khoa --json handover show "$desk" | jq -r '.handover.rows[].token_serial' | sort)"

# ----- a draft drawn by mistake is cancelled (issue 17)
check_status "handover cancel needs --note" 64 khoa handover cancel "$desk"
check_status "handover cancel" 0 khoa handover cancel "$desk" --note "Lập nhầm"
check_contains "  says so" "The draft is cancelled" "$(out)"
check_status "  it is gone" 1 khoa handover show "$desk"
check_contains "  the events keep it, and why" "Lập nhầm" \
	"$(registry_sql "SELECT details FROM events WHERE type = 'handover.cancelled'")"
check_status "a finalized one is not cancelled" 1 khoa handover cancel "$id" --note "x"
check_contains "  it is corrected by another" "finalized" "$(err)"

# ----- custody
check_status "custody" 0 khoa custody "$huong"
check_contains "  the receiver holds it" "Văn phòng UBND tỉnh Thái Bình" "$(head -n1 "$TMP/out")"
check_contains "  the chain names the handover" "new issue" "$(out)"

# ----- the seal register (the organization token)
check_status "seal out" 0 khoa seal out "$office" --to 2 --purpose "Ký công văn 123" --hours 2
check_contains "  to whom" "Trần Văn Đức" "$(out)"
check_status "seal out while out" 1 khoa seal out "$office" --to 1 --purpose "Ký"
check_contains "  refused" "out already" "$(err)"
check_status "custody while it is out" 0 khoa custody "$office"
check_contains "  says it is out on the seal register, to whom (issue 16)" \
	"Out on the seal register to Trần Văn Đức for Ký công văn 123" "$(out)"
check_status "seal log --open" 0 khoa seal log --open
check_contains "  what is out" "Ký công văn 123" "$(out)"
check_status "seal in" 0 khoa seal in "$office" --note "đủ"
check_status "seal in again" 1 khoa seal in "$office"
check_contains "  refused" "is not out" "$(err)"
check_status "seal log" 0 khoa seal log "$office"
check_contains "  the use" "Trần Văn Đức" "$(out)"
check_eq "nothing is out" "The seal register is empty." "$(khoa seal log --open)"
LANGUAGE=vi check_status "Vietnamese: seal log" 0 khoa seal log
check_contains "  header" "MỤC ĐÍCH" "$(out)"
check_status "seal out without --purpose" 64 khoa seal out "$office" --to 2
LANGUAGE=vi check_status "seal out --hours -1" 64 khoa seal out "$office" --to 2 --purpose "Ký" --hours -1
check_contains "  says the option takes a whole number, in Vietnamese (issue 17)" \
	"--hours nhận một số nguyên (0, 1, 2…), không phải '-1'" "$(err)"
check_status "seal out --hours 745 (more than 31 days)" 64 khoa seal out "$office" --to 2 \
	--purpose "Ký" --hours 745
check_contains "  says what may be" "from 0 (due at once) to 744" "$(err)"
check_status "seal out --hours 0, as khoad takes it: due at once" 0 khoa seal out "$office" \
	--to 2 --purpose "Ký gấp" --hours 0
check_status "  and back in" 0 khoa seal in "$office"
check_status "custody when it is back" 0 khoa custody "$office"
check_eq "  no word of the seal register" "" "$(grep "seal register" "$TMP/out" || true)"
# Lent outside its agency: refused unless the clerk says so (issue 16).
khoa org create --name "Sở Tư pháp" >/dev/null
khoa person create --name "Lê Thị Lan" --id-number 034186000125 --org 3 >/dev/null
check_status "seal out to a person of another agency" 1 khoa seal out "$office" --to 3 \
	--purpose "Ký hộ"
check_contains "  refused by R-CUSTODY" "R-CUSTODY" "$(err)"
check_status "  with --another-agency, said so" 0 khoa seal out "$office" --to 3 --purpose "Ký hộ" \
	--another-agency
check_contains "  lent" "Lê Thị Lan" "$(out)"
check_eq "  the register's event records it" "true" \
	"$(khoa --json history "$office" | jq -r '[.events[] | select(.type == "seal.out")][-1].details.another_agency')"
check_status "  back in" 0 khoa seal in "$office"

# ----- a manager change (Mẫu 08)
check_status "manager-change: a date that is not one" 64 khoa manager-change --org 2 \
	--kind organization --name "Văn phòng UBND tỉnh Thái Bình" --from 1 --to 2 --effective 31/02
check_status "manager-change" 0 khoa manager-change --org 2 --kind organization \
	--name "Văn phòng UBND tỉnh Thái Bình" --from 1 --to 2 --effective 01/12/2026 \
	--decision "15/QĐ-VP" --serial "$office"
check_contains "  the effective day as dd/mm/yyyy" "01/12/2026" "$(out)"
check_contains "  the old manager" "Nguyễn Thị Hường" "$(out)"
check_contains "  the handover drafted" "khoa handover show" "$(out)"
change=$(khoa --json manager-change list | jq -r '.changes[0].id')
mh=$(khoa --json manager-change show "$change" | jq -r '.change.handover_id')
check_status "manager-change show" 0 khoa manager-change show "$change"
check_contains "  the new manager" "Trần Văn Đức" "$(out)"
check_status "  its handover" 0 khoa handover show "$mh"
check_contains "  is a draft" "draft" "$(out)"
check_status "manager-change show of one that is not" 1 khoa manager-change show 77
check_contains "  says which" "77" "$(err)"

# ----- these events in khoa history (khoa watch says them the same way)
check_status "history of the organization token" 0 khoa history "$office"
hist=$(tr -s ' ' <"$TMP/out")
check_contains "  custody passed on: who, which token, from whom, to whom, by which handover" \
	"root handed token $office from Sở Thông tin và Truyền thông over to Văn phòng UBND tỉnh Thái Bình by handover minutes no. $id (new issue)." \
	"$hist"
check_contains "  checked out: to whom, for what, due when" \
	"root checked token $office out to Trần Văn Đức for “Ký công văn 123”, due back" "$hist"
check_contains "  checked back in" "root checked token $office back in from Trần Văn Đức, out since" \
	"$hist"
check_contains "  lent outside the agency, said so" "out to Lê Thị Lan for “Ký hộ”, due back" "$hist"
check_contains "  the manager change, its parties and its handover" \
	"root recorded a change of the certificate's manager (Mẫu 08, no. $change) of Văn phòng UBND tỉnh Thái Bình from Nguyễn Thị Hường to Trần Văn Đức, effective 01/12/2026; handover minutes no. $mh drafted." \
	"$hist"
check_eq "  nothing as raw JSON" "" "$(grep -F '{' "$TMP/out" || true)"
check_status "history of the token added while absent" 0 khoa history "$blank"
check_contains "  put on the handover, its parties, its reason" \
	"root put token $blank on handover minutes no. $id from Sở Thông tin và Truyền thông to Văn phòng UBND tỉnh Thái Bình, reason: other." \
	"$(tr -s ' ' <"$TMP/out")"
LANGUAGE=vi check_status "Vietnamese: history" 0 khoa history "$office"
check_contains "  custody, in Vietnamese" \
	"root chuyển giao thiết bị $office từ Sở Thông tin và Truyền thông cho Văn phòng UBND tỉnh Thái Bình theo biên bản giao nhận số $id (cấp mới)." \
	"$(tr -s ' ' <"$TMP/out")"

# ----- khoa print
check_status "print handover --format text" 0 khoa print handover "$id" --format text
for s in "$huong" "$duc" "$office"; do
	check_contains "  the token serial $s" "$s" "$(out)"
done
(cd "$TMP" && "$KHOA" --socket "$SOCK" print handover "$id" >"$TMP/out" 2>"$TMP/err") &&
	ok "print handover: PDF" || not_ok "print handover: PDF"
check_contains "  in the current directory by default" "mau10-$id.pdf" "$(out)"
pdftotext "$TMP/mau10-$id.pdf" "$TMP/mau10.txt"
check_contains "  the national motto" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "$(cat "$TMP/mau10.txt")"
for s in "$huong" "$duc" "$office"; do
	check_contains "  the PDF has $s" "$s" "$(cat "$TMP/mau10.txt")"
done
check_status "print manager-change --output" 0 khoa print manager-change "$change" \
	--output "$TMP/m8.pdf"
check_contains "  Mẫu 08 names the new manager" "$(echo "Trần Văn Đức")" \
	"$(pdftotext "$TMP/m8.pdf" - | tr '\n' ' ')"
check_status "print: --format neither" 64 khoa print handover "$id" --format docx
check_status "print: something else" 64 khoa print seal 1
pdftotext -raw "$TMP/mau10-$id.pdf" "$TMP/m10.raw"
check_eq "Mẫu 10 is headed by the agency drawing it up, the giver's (issue 17)" \
	"SỞ THÔNG TIN VÀ TRUYỀN THÔNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "$(sed -n 2p "$TMP/m10.raw")"

# ----- R-HANDOVER: an agency's representative, with the introduction letter
# and the ID card shown; the place of khoad.conf when the handover names none
check_status "handover new: the parties' representatives, letter and ID card" 0 \
	khoa handover new --from org:2 --to org:1 --reason transfer --serial "$duc" \
	--from-representative "Nguyễn Thị Hường" --from-position "Văn thư" \
	--to-representative "Lê Văn Nam" --to-position "Chuyên viên" \
	--to-letter "Giấy giới thiệu số 25/GGT-STTTT ngày 04/03/2026" \
	--to-id-number "034086 000555" --to-id-issued-on 10/04/2021 \
	--to-id-issued-by "Cục Cảnh sát QLHC về TTXH"
rep=$(khoa --json handover list | jq -r '[.handovers[].id] | max')
check_eq "  kept: the ID number without blanks, its date of issue ISO" \
	"Lê Văn Nam|034086000555|2021-04-10|Giấy giới thiệu số 25/GGT-STTTT ngày 04/03/2026" \
	"$(khoa --json handover show "$rep" | jq -r '.handover.receiver | [.representative, .id_number, .id_issued_on, .introduction_letter] | join("|")')"
check_status "  an ID number that is none is refused" 1 khoa handover new --from org:2 --to org:1 \
	--reason transfer --serial "$duc" --to-id-number 12345
check_contains "  naming the party" "receiver" "$(err)"
check_status "  so is a date of issue to come" 1 khoa handover new --from org:2 --to org:1 \
	--reason transfer --serial "$duc" --to-id-number 034086000555 --to-id-issued-on 01/01/2099
check_status "print it, without --place" 0 khoa print handover "$rep" --output "$TMP/rep.pdf"
rep_text=$(pdftotext -raw "$TMP/rep.pdf" - | tr -s ' \n' '  ')
check_contains "  held at khoad.conf's [forms] place" "tại Thái Bình chúng tôi gồm:" "$rep_text"
check_contains "  headed by the giver's agency under its managing body" \
	"SỞ THÔNG TIN VÀ TRUYỀN THÔNG VĂN PHÒNG UBND TỈNH THÁI BÌNH CỘNG HÒA" "$rep_text"
check_contains "  the giver's representative" "Đại diện: Nguyễn Thị Hường Chức vụ: Văn thư" "$rep_text"
check_contains "  the receiver's" "Đại diện: Lê Văn Nam Chức vụ: Chuyên viên" "$rep_text"
check_contains "  the letter shown" "Giấy giới thiệu: Giấy giới thiệu số 25/GGT-STTTT ngày 04/03/2026" \
	"$rep_text"
check_contains "  the ID card shown" \
	"Số CMND/Hộ chiếu: 034086000555, ngày cấp: 10/04/2021, nơi cấp: Cục Cảnh sát QLHC về TTXH" \
	"$rep_text"
check_eq "  no 'Họ và tên' for an organization" "" "$(grep -o 'Họ và tên' <<<"$rep_text" || true)"
check_eq "  the reason in words, not its code" "" "$(grep -ow 'transfer' <<<"$rep_text" || true)"
check_status "  --place still says where" 0 khoa print handover "$rep" --place "Vũ Thư" --format text
check_contains "  at --place" "tại Vũ Thư chúng tôi gồm:" "$(out)"
khoa handover cancel "$rep" --note "thử" >/dev/null

# ----- a list longer than a page (issue 15: 16,000 handovers were a 13 MiB
# answer): 3,000 more, of 2020, in the registry; khoad answers 1,000 a
# page, and khoa pages through them.
before=$(khoa --json handover list | jq '.handovers | length')
registry_sql "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
	INSERT INTO handovers (state, place, held_at, giver, giver_name, receiver, receiver_name,
		created_at, created_by_uid, created_by_user)
	SELECT 'draft', 'Thái Bình', '2020-01-01T09:00:00Z',
		'{\"organization_id\":1,\"name\":\"Sở Thông tin và Truyền thông\"}',
		'Sở Thông tin và Truyền thông', '{\"name\":\"Kho lưu trữ\"}', 'Kho lưu trữ',
		'2020-01-01T09:00:00Z', 0, 'bulk' FROM n" >/dev/null
khoa --json handover list >"$TMP/out"
check_eq "handover list --json pages: every handover once, newest first, no next" \
	"$((before + 3000)) $((before + 3000)) true false" \
	"$(jq -r '[(.handovers | length), (.handovers | map(.id) | unique | length),
		(.handovers | map(.id) == (map(.id) | sort | reverse)), has("next")]
		| map(tostring) | join(" ")' "$TMP/out")"
jq -r '.handovers[].id' "$TMP/out" >"$TMP/ids"
khoa handover list >"$TMP/list"
check_eq "handover list: a row each, in the same order" "" \
	"$(tail -n +2 "$TMP/list" | awk '{print $1}' | diff - "$TMP/ids" | head -n 5)"

done_testing
