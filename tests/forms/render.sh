#!/bin/bash
# forms/ rendered to PDF (Mẫu 10, 09, 08; 01, 02, 05; the lists 03, 04, 06
# and their CSV; the report 07) and read back with poppler: each form's
# words as the regulation's text has them, in its order (wording.py: the
# lines of the form taken from docs/regulation/, not from our own strings),
# every field, the Vietnamese text exactly, serials whole, the two copies of
# Mẫu 10 with the signatures on the page of the table, the lists
# landscape, each figure of Mẫu 07 in its row, no code of the protocol on
# paper, fonts embedded.
# TAP. Needs RENDER_FORM (tests/forms/render-form), FIXTURES (this folder)
# and REGULATION (the regulation's text).
set -u
RENDER_FORM=${RENDER_FORM:?} FIXTURES=${FIXTURES:?} REGULATION=${REGULATION:?}
PLAN=104
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
# has FILE STRING: STRING in FILE, whitespace (line and cell breaks) folded
has() { tr -s ' \n\f' '  ' < "$1" | grep -qF -- "$2"; }
# fonts FILE: every font embedded, every one Liberation Serif (no fallback)
fonts() {
	pdffonts "$1" > "$T/fonts" || return 1
	local rows; rows=$(tail -n +3 "$T/fonts")
	[ -n "$rows" ] || return 1
	! grep -vq 'LiberationSerif' <<<"$rows" || { [ -n "${VERBOSE:-}" ] && cat "$T/fonts"; return 1; }
	awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$T/fonts"
}
# fields NAME FILE STRING...: one check that FILE has every STRING
fields() {
	local name=$1 file=$2 missing=0 s
	shift 2
	for s in "$@"; do
		has "$file" "$s" || { echo "# $name lacks '$s'"; missing=1; }
	done
	check "$name has every field" test $missing = 0
}
# page_size FILE: "portrait" or "landscape", from pdfinfo's "Page size"
page_size() {
	pdfinfo "$1" | awk '/^Page size:/ { print ($3 > $5 ? "landscape" : "portrait") }'
}
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
# wording N FILE: the words of the regulation's Mẫu N, taken from its text
# (REGULATION), in FILE in the regulation's order (wording.py)
wording() { python3 "$FIXTURES/wording.py" "$REGULATION" "$1" "$2"; }

echo "1..$PLAN"

# json FILE OUT PYTHON: OUT is FILE's JSON as the statement PYTHON (on r)
# leaves it
json() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); exec(sys.argv[3]); json.dump(r, open(sys.argv[2], "w"), ensure_ascii=False)' "$1" "$2" "$3"; }
# before_title FILE TITLE: what a PDF says before its title (pdftotext -raw)
before_title() { pdftotext -raw "$1" - | tr -s ' \n\f' '   ' | sed "s/ *$2.*//"; }
not() { ! "$@"; }
# has_line FILE TEXT: TEXT is one whole line of FILE (pdftotext -layout, trimmed)
has_line() { sed 's/^ *//; s/ *$//' "$1" | grep -qx -- "$2"; }

# Mẫu 10: two people, every field of the form; an organization receiving
# through its representative, who showed a letter and an ID card
H=$FIXTURES/handover.json
json "$H" "$T/persons.json" 'r["receiver"] = dict(person_id=5, organization_id=None, name="Nguyễn Thị Hường", agency="Ủy ban nhân dân huyện Vũ Thư", address="Thị trấn Vũ Thư, huyện Vũ Thư", representative=None, position="Văn thư"); r["rows"] = r["rows"][:2]'
check "Mẫu 10 renders" "$RENDER_FORM" handover "$T/persons.json" "$FIXTURES/agency.json" "$T/m10p.pdf"
check "Mẫu 10: the regulation's words, in its order (one copy)" wording 10 "$T/m10p.pdf" 1
check "Mẫu 10: a copy of two rows is one page, the signatures with the table" \
	test "$(pages "$T/m10p.pdf")" = 2
json "$H" "$T/two.json" 'r["rows"] = r["rows"][:2]'
"$RENDER_FORM" handover "$T/two.json" "$FIXTURES/agency.json" "$T/two.pdf"
check "Mẫu 10: so with an organization's representative, letter and ID card" \
	test "$(pages "$T/two.pdf")" = 2
check "Mẫu 10 renders (an organization receiving)" "$RENDER_FORM" handover "$H" "$FIXTURES/agency.json" "$T/m10.pdf"
pdftotext -layout "$T/m10.pdf" "$T/m10.txt"
pdftotext -raw "$T/m10.pdf" "$T/m10.raw"
for s in "BIÊN BẢN GIAO NHẬN THIẾT BỊ LƯU KHÓA BÍ MẬT" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" \
	 "Độc lập - Tự do - Hạnh phúc" "Số: 15/BB-STTTT" "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH" \
	 "5403E3A1B2C4D5E6F7081929" "VT2016A0001836" "Đỗ Thị Ngọc Ánh" "Trần Văn Hưởng" \
	 "ĐẠI DIỆN BÊN GIAO" "ĐẠI DIỆN BÊN NHẬN"; do
	check "Mẫu 10 -layout has '$s'" grep -qF -- "$s" "$T/m10.txt"
done
fields "Mẫu 10" "$T/m10.raw" \
	"Hôm nay, vào hồi 09 giờ 30 ngày 05 tháng 3 năm 2026, tại Sở Thông tin và Truyền thông tỉnh Thái Bình chúng tôi gồm:" \
	"Bên giao đã giao cho Bên nhận: 03 (bằng chữ: ba) bộ, cụ thể như sau:" \
	"Cơ quan, tổ chức công tác: Ủy ban nhân dân huyện Vũ Thư" "Đại diện: Nguyễn Thị Hường" \
	"Giấy giới thiệu: Giấy giới thiệu số 25/GGT-UBND ngày 04/03/2026" \
	"Số CMND/Hộ chiếu: 034186000777, ngày cấp: 10/04/2021, nơi cấp: Cục Cảnh sát QLHC về TTXH" \
	"Từ ngày 01/03/2026 đến ngày 28/02/2031" "Cấp lại" "Chưa đối chiếu trên thiết bị" \
	"(2) Ghi rõ thời điểm có hiệu lực của chứng thư số (Từ ngày...../...../..... đến ngày...../...../.....)"
check "Mẫu 10: an organization receiving has no 'Họ và tên' of its own" \
	test "$(pdftotext -l 1 "$T/m10.pdf" - | grep -c 'Họ và tên:')" = 1
check "Mẫu 10: no column title broken inside a word (STT)" bash -c '! grep -qE "^ *ST *$|ST-" "$0"' "$T/m10.txt"
check "Mẫu 10: one copy for the giver" test "$(grep -c 'Bản của bên giao' "$T/m10.txt")" = 1
check "Mẫu 10: one copy for the receiver" test "$(grep -c 'Bản của bên nhận' "$T/m10.txt")" = 1
check "Mẫu 10: two copies of equal length ($(pages "$T/m10.pdf") pages)" test $(($(pages "$T/m10.pdf") % 2)) = 0
check "Mẫu 10 fonts embedded, Liberation Serif" fonts "$T/m10.pdf"
# rows that do not fit: the table's titles again on each page they go on to
json "$H" "$T/many.json" 'r["rows"] = [dict(r["rows"][i % 3], number=i + 1) for i in range(14)]'
"$RENDER_FORM" handover "$T/many.json" "$FIXTURES/agency.json" "$T/many.pdf"
many=$(pages "$T/many.pdf")
check "Mẫu 10 of 14 rows: more than a page a copy ($many pages)" test "$many" -gt 2
titled=0
for ((p = 1; p <= many; p++)); do
	pdftotext -layout -f $p -l $p "$T/many.pdf" - | grep -qE "STT +Họ tên +Số hiệu chứng thư số" && titled=$((titled + 1))
done
check "Mẫu 10 of 14 rows: the table's titles on every page ($titled of $many)" test "$titled" = "$many"
check "Mẫu 10 of 14 rows: every row, once a copy" \
	test "$(pdftotext -raw "$T/many.pdf" - | grep -cE '^(1[0-4]|[1-9]) (Trần Văn Hưởng|Đỗ Thị Ngọc Ánh|Ủy ban nhân dân)')" = 28
# without a place of its own: the configured one; without any, a line to fill
json "$H" "$T/noplace.json" 'r["place"] = None'
"$RENDER_FORM" handover "$T/noplace.json" "$FIXTURES/agency.json" "$T/noplace.pdf"
check "Mẫu 10 without a place: the agency's (khoad.conf)" has <(pdftotext "$T/noplace.pdf" -) \
	"2026, tại Thái Bình chúng tôi gồm:"
echo '{"place": ""}' > "$T/noagency.json"
"$RENDER_FORM" handover "$T/noplace.json" "$T/noagency.json" "$T/noplace2.pdf"
check "Mẫu 10 without any place: a line to fill, not 'tại chúng tôi'" has <(pdftotext "$T/noplace2.pdf" -) \
	"2026, tại ………… chúng tôi gồm:"

# Mẫu 09: its serial whole, its title unbroken
check "Mẫu 09 renders" "$RENDER_FORM" pin-request "$FIXTURES/pin-request.json" "$FIXTURES/agency-vuthu.json" "$T/m09.pdf"
check "Mẫu 09: the regulation's words, in its order" wording 9 "$T/m09.pdf"
pdftotext -raw "$T/m09.pdf" "$T/m09.raw"
pdftotext -layout "$T/m09.pdf" "$T/m09.txt"
fields "Mẫu 09" "$T/m09.raw" \
	"ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH ỦY BAN NHÂN DÂN HUYỆN VŨ THƯ" \
	"VĂN BẢN ĐỀ NGHỊ KHÔI PHỤC MẬT KHẨU THIẾT BỊ LƯU KHÓA BÍ MẬT" "Kính gửi: Sở Thông tin và Truyền thông" \
	"Họ và tên thuê bao (viết chữ in hoa): ĐỖ THỊ NGỌC ÁNH" "Giới tính: Nữ" "Ngày sinh: 02/11/1979" \
	"Số CMND/Hộ chiếu: 034179001234" "Ngày cấp: 10/04/2021" "Số hiệu thiết bị lưu khóa bí mật: VT2016A0001835" \
	"CN=Đỗ Thị Ngọc Ánh" "anhdtn.vuthu@thaibinh.gov.vn" "28/02/2031" \
	"Số điện thoại liên hệ của cán bộ quản lý thiết bị: 0912 345 678" "Vũ Thư, ngày 07 tháng 01 năm 2026" \
	"NGƯỜI KHAI" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
check "Mẫu 09: the 32-digit certificate serial read back whole, on one line" \
	bash -c 'grep -qE "(^| )5403E3A1B2C4D5E6F708192AC815DDFA( |$)" "$0" && grep -qx "5403E3A1B2C4D5E6F708192AC815DDFA" <(pdftotext -raw "$1" - | tr " " "\n")' \
	"$T/m09.txt" "$T/m09.pdf"
check "Mẫu 09: no hyphen added where a line breaks" bash -c '! grep -qE "[0-9A-Za-zÀ-ỹ]-$" "$0"' "$T/m09.raw"
check "Mẫu 09: the title not broken with 'MẬT' alone" not has_line "$T/m09.txt" "MẬT"
check "Mẫu 09: dated where it is signed, above 'NGƯỜI KHAI'" bash -c \
	'pdftotext -raw "$0" - | grep -A1 -x "Vũ Thư, ngày 07 tháng 01 năm 2026" | grep -qx "NGƯỜI KHAI"' "$T/m09.pdf"
# a serial too long for any cell breaks between its characters, never with a hyphen
json "$FIXTURES/pin-request.json" "$T/long.json" 'r["form"]["certificate_serial"] = "5403E3A1B2C4D5E6F708192AC815DDFA" * 4'
"$RENDER_FORM" pin-request "$T/long.json" "$FIXTURES/agency-vuthu.json" "$T/long.pdf"
check "Mẫu 09: a 128-digit serial, broken without a hyphen, reads back whole" bash -c \
	'pdftotext -raw "$0" - | tr -d "\n" | grep -q "$(printf "5403E3A1B2C4D5E6F708192AC815DDFA%.0s" 1 2 3 4)"' "$T/long.pdf"
check "Mẫu 09 fonts embedded, Liberation Serif" fonts "$T/m09.pdf"

# Mẫu 08
check "Mẫu 08 renders" "$RENDER_FORM" manager-change "$FIXTURES/manager-change.json" "$FIXTURES/agency-vuthu.json" "$T/m08.pdf"
check "Mẫu 08: the regulation's words, in its order" wording 8 "$T/m08.pdf"
pdftotext -raw "$T/m08.pdf" "$T/m08.raw"
m08=0
for s in "QUYẾT ĐỊNH" "Về việc thay đổi người quản lý chứng thư số" "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN VŨ THƯ" \
	 "Số: 27/QĐ-UBND" "Vũ Thư, ngày 09 tháng 02 năm 2026" \
	 "Điều 1. Thay đổi người quản lý chứng thư số của Ủy ban nhân dân huyện Vũ Thư như sau:" \
	 "chứng thư số của tổ chức có tên đăng ký là Ủy ban nhân dân huyện Vũ Thư" \
	 "từ ông (bà) Lương Văn Khải, Văn thư sang người quản lý mới là ông (bà) Nguyễn Thị Hường, Văn thư" \
	 "Nơi nhận:" "Hoàng Minh Đức"; do
	has "$T/m08.raw" "$s" || { echo "# Mẫu 08 lacks '$s'"; m08=1; }
done
check "Mẫu 08 has every field" test $m08 = 0
json "$FIXTURES/manager-change.json" "$T/nopos.json" 'r["old_position"] = None'
check "Mẫu 08: a position the change does not say, to fill by hand" bash -c \
	'"$0" manager-change "$1" "$2" "$3" && pdftotext -raw "$3" - | tr -s " \n" "  " | grep -qF "từ ông (bà) Lương Văn Khải, ………… sang"' \
	"$RENDER_FORM" "$T/nopos.json" "$FIXTURES/agency-vuthu.json" "$T/nopos.pdf"

# the text rendering and bad input
check "Mẫu 10 as text" bash -c '"$0" handover "$1" - | grep -qF "Bên giao đã giao cho Bên nhận: 03 (bằng chữ: ba) bộ"' \
	"$RENDER_FORM" "$FIXTURES/handover.json"
echo '{"id": 1}' > "$T/bad.json"
check "a record that is no handover is refused" bash -c '! "$0" handover "$1" "$2" 2> "$3" && grep -q "not a handover" "$3"' \
	"$RENDER_FORM" "$T/bad.json" "$T/bad.pdf" "$T/err"
check "an unwritable path is refused" bash -c '! "$0" handover "$1" /nonexistent/dir/x.pdf 2>/dev/null' \
	"$RENDER_FORM" "$FIXTURES/handover.json"
# Mẫu 02: a person's renewal, a personal declaration
A=$FIXTURES/agency-office.json
check "Mẫu 02 renders" "$RENDER_FORM" request "$FIXTURES/request-renew-person.json" "$A" "$T/m02.pdf"
check "Mẫu 02: the regulation's words, in its order" wording 2 "$T/m02.pdf"
pdftotext -raw "$T/m02.pdf" "$T/m02.raw"
fields "Mẫu 02" "$T/m02.raw" \
	"VĂN BẢN ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO CÁ NHÂN" "Kính gửi: Sở Thông tin và Truyền thông Thái Bình" \
	"Họ và tên (chữ in hoa): NGUYỄN THỊ HƯỜNG" "Giới tính: Nam … Nữ …" "Ngày sinh: 12/03/1986" \
	"Nơi sinh: …" "Số CMND/Hộ chiếu: 034186000123" "Ngày cấp: …" "Nơi cấp: …" \
	"Địa chỉ thư điện tử (1): huongnt.vp@thaibinh.gov.vn" \
	"Cơ quan, tổ chức công tác (2): Văn phòng UBND tỉnh Thái Bình" "Chức vụ: Phó Chánh Văn phòng" \
	"Địa chỉ: …" "Số điện thoại: 0227 3831 234" "Fax: …" \
	"Số chứng thư số cũ (nếu có): A408636402FBF56C05835A1FAE0ECCFB" \
	"Ngày cấp: 01/03/2024 Ngày hết hạn: 01/03/2027" \
	"Thời hạn hiệu lực của chứng thư số (tối đa là 10 năm): 5 năm" "Tài liệu kèm theo (3):" \
	"XÁC NHẬN CỦA CƠ QUAN QUẢN LÝ TRỰC TIẾP" \
	"Thái Bình, ngày 05 tháng 11 năm 2026 NGƯỜI KHAI (Ký và ghi rõ họ tên) Nguyễn Thị Hường"
check "Mẫu 02: only the national name above its title, no agency, no number" test \
	"$(before_title "$T/m02.pdf" "VĂN BẢN ĐỀ NGHỊ")" = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
check "Mẫu 02: one A4 portrait page" test "$(page_size "$T/m02.pdf") $(pages "$T/m02.pdf")" = "portrait 1"
check "Mẫu 02 fonts embedded, Liberation Serif" fonts "$T/m02.pdf"
# what a person record may keep besides (issue 17): printed where the form asks
json "$FIXTURES/request-renew-person.json" "$T/kept.json" 'r["person"].update(sex="Nữ", birth_place="Xã Tân Bình, thành phố Thái Bình", id_issued_on="2021-04-10", id_issued_by="Cục Cảnh sát QLHC về TTXH", address="Số 12 Lý Thường Kiệt, thành phố Thái Bình", fax="0227 3831 235")'
"$RENDER_FORM" request "$T/kept.json" "$A" "$T/kept.pdf" && pdftotext -raw "$T/kept.pdf" "$T/kept.raw"
fields "Mẫu 02 of a person record with all its fields" "$T/kept.raw" \
	"Giới tính: Nam Nữ" "Nơi sinh: Xã Tân Bình, thành phố Thái Bình" "Ngày cấp: 10/04/2021" \
	"Nơi cấp: Cục Cảnh sát QLHC về TTXH" "Địa chỉ: Số 12 Lý Thường Kiệt, thành phố Thái Bình" \
	"Fax: 0227 3831 235"
check "Mẫu 02 as text: the sex that applies, the other struck on paper" bash -c \
	'"$0" request "$1" - | grep -qE "Giới tính: Nữ( |$)"' "$RENDER_FORM" "$T/kept.json"

# Mẫu 01: an organization's new certificate, with its manager
check "Mẫu 01 renders" "$RENDER_FORM" request "$FIXTURES/request-new-org.json" "$A" "$T/m01.pdf"
check "Mẫu 01: the regulation's words, in its order" wording 1 "$T/m01.pdf"
pdftotext -raw "$T/m01.pdf" "$T/m01.raw"
fields "Mẫu 01" "$T/m01.raw" \
	"ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH" "Số: 112/VP-HCTC" \
	"VĂN BẢN ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO CƠ QUAN, TỔ CHỨC" "Kính gửi: Sở Thông tin và Truyền thông" \
	"Thái Bình, ngày 03 tháng 02 năm 2026" "I. Thông tin đăng ký chứng thư số:" \
	"Tên cơ quan, tổ chức được cấp chứng thư số (1): Sở Tài chính tỉnh Thái Bình" \
	"Mã số thuế: 1000215430" "Địa chỉ: Số 1 Lý Bôn, thành phố Thái Bình" \
	"Địa chỉ thư điện tử (2): stc@thaibinh.gov.vn" "Số chứng thư số cũ (nếu có): …" \
	"Thời hạn hiệu lực của chứng thư số (tối đa là 10 năm): 10 năm" \
	"II. Thông tin của người quản lý chứng thư số (3):" \
	"Họ và tên (chữ in hoa): PHẠM THỊ NGỌC DIỆP" "Ngày sinh: 09/07/1975" \
	"Số CMND/Hộ chiếu: 034175004321" "Địa chỉ thư điện tử: diepptn.stc@thaibinh.gov.vn" \
	"Cơ quan, tổ chức công tác (4): Sở Tài chính tỉnh Thái Bình" "Chức vụ: Giám đốc Sở" \
	"Điện thoại: 0227 3841 555" "Bản sao có công chứng giấy chứng nhận đăng ký thuế." \
	"XÁC NHẬN CỦA CƠ QUAN, TỔ CHỨC ĐĂNG KÝ" "NGƯỜI QUẢN LÝ CHỨNG THƯ SỐ (Ký và ghi rõ họ tên) Phạm Thị Ngọc Diệp"
check "Mẫu 01: one A4 portrait page" test "$(page_size "$T/m01.pdf") $(pages "$T/m01.pdf")" = "portrait 1"
check "Mẫu 01 fonts embedded, Liberation Serif" fonts "$T/m01.pdf"
check "Mẫu 01 as text: the title in the request's words" bash -c \
	'"$0" request "$1" "$2" - | grep -qx "VĂN BẢN ĐỀ NGHỊ CẤP MỚI CHỨNG THƯ SỐ"' \
	"$RENDER_FORM" "$FIXTURES/request-new-org.json" "$A"

# Mẫu 05: a revocation, a personal declaration
check "Mẫu 05 renders" "$RENDER_FORM" request "$FIXTURES/request-revoke.json" "$A" "$T/m05.pdf"
check "Mẫu 05: the regulation's words, in its order" wording 5 "$T/m05.pdf"
pdftotext -raw "$T/m05.pdf" "$T/m05.raw"
fields "Mẫu 05" "$T/m05.raw" \
	"VĂN BẢN ĐỀ NGHỊ THU HỒI CHỨNG THƯ SỐ" "Kính gửi: Sở Thông tin và Truyền thông" \
	"Họ và tên thuê bao (viết chữ in hoa): TRẦN VĂN ĐỨC" "Giới tính: …" "Ngày sinh: 05/01/1984" \
	"Số CMND/Hộ chiếu: 034184000124" "Cơ quan, tổ chức công tác (1): Văn phòng UBND tỉnh Thái Bình" \
	"Chức vụ: Chánh Văn phòng" "Điện thoại: 0912 000 124" "Đề nghị thu hồi chứng thư số:" \
	"Tên chứng thư số (2): CN=Trần Văn Đức, OU=Văn phòng UBND tỉnh Thái Bình, O=UBND tỉnh Thái Bình, L=Thái Bình, C=VN" \
	"Địa chỉ thư điện tử (3): ductv.vp@thaibinh.gov.vn" "Ngày cấp: 24/11/2025 Ngày hết hạn: 24/11/2027" \
	"Lý do thu hồi: Chuyển công tác sang cơ quan khác" \
	"Thái Bình, ngày 20 tháng 11 năm 2026 NGƯỜI KHAI (Ký và ghi rõ họ tên) Trần Văn Đức"
check "Mẫu 05: only the national name above its title, no agency, no number" test \
	"$(before_title "$T/m05.pdf" "VĂN BẢN ĐỀ NGHỊ")" = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
check "Mẫu 05: the certificate serial as given" has "$T/m05.raw" "Số hiệu chứng thư: 03E900C9670A43EAFE907276602B247B"
check "Mẫu 05: the token serial as given, lower case" has "$T/m05.raw" "Số hiệu thiết bị lưu khóa bí mật: b241b2883f269e33"
check "Mẫu 05 fonts embedded, Liberation Serif" fonts "$T/m05.pdf"
check "Mẫu 05 as text: both serials" bash -c 'out=$("$0" request "$1" -) &&
	grep -qx "Số hiệu chứng thư: 03E900C9670A43EAFE907276602B247B" <<<"$out" &&
	grep -qx "Số hiệu thiết bị lưu khóa bí mật: b241b2883f269e33" <<<"$out"' \
	"$RENDER_FORM" "$FIXTURES/request-revoke.json"
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))[1], open(sys.argv[2], "w"))' \
	"$FIXTURES/list-revoke.json" "$T/revoke-org.json"
"$RENDER_FORM" request "$T/revoke-org.json" "$A" "$T/m05o.pdf" && pdftotext -raw "$T/m05o.pdf" "$T/m05o.raw"
fields "Mẫu 05 of an organization" "$T/m05o.raw" \
	"Họ và tên thuê bao (viết chữ in hoa): ỦY BAN NHÂN DÂN HUYỆN VŨ THƯ" "Ngày sinh: 18/04/1986" \
	"Cơ quan, tổ chức công tác (1): Ủy ban nhân dân huyện Vũ Thư" "Chức vụ: Văn thư" \
	"Địa chỉ thư điện tử (3): ubndvuthu@thaibinh.gov.vn" "Lý do thu hồi: …" \
	"Số hiệu chứng thư: 7C1D2E3F405162738495A6B7C8D9EAFB" "Số hiệu thiết bị lưu khóa bí mật: 5b0c11d2e3f40718" \
	"NGƯỜI KHAI (Ký và ghi rõ họ tên) Nguyễn Thị Hường"

# a re-issue: Mẫu 02 with its words and reason; a kind no form is for
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); r.update(kind="reissue", reason="title-change"); json.dump(r, open(sys.argv[2], "w"))' \
	"$FIXTURES/request-renew-person.json" "$T/reissue.json"
"$RENDER_FORM" request "$T/reissue.json" - > "$T/reissue.txt"
check "re-issue: VĂN BẢN ĐỀ NGHỊ CẤP LẠI CHỨNG THƯ SỐ" grep -qx "VĂN BẢN ĐỀ NGHỊ CẤP LẠI CHỨNG THƯ SỐ" "$T/reissue.txt"
check "re-issue: the reason in Vietnamese" grep -qx "Lý do cấp lại: Thay đổi chức danh, chức vụ" "$T/reissue.txt"
echo '{"id": 1, "kind": "extend", "subject_kind": "person"}' > "$T/extend.json"
check "a kind no form is for is refused" bash -c '! "$0" request "$1" "$2" 2> "$3" && grep -q "not a certificate request" "$3"' \
	"$RENDER_FORM" "$T/extend.json" "$T/extend.pdf" "$T/err"

# Mẫu 03, 04, 06: the lists, landscape, and their CSV
check "Mẫu 03 renders" "$RENDER_FORM" list-person "$FIXTURES/list-person.json" "$A" "$T/m03.pdf"
check "Mẫu 03: the regulation's words, in its order" wording 3 "$T/m03.pdf"
pdftotext -raw "$T/m03.pdf" "$T/m03.raw"
fields "Mẫu 03" "$T/m03.raw" \
	"DANH SÁCH ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO CÁ NHÂN" \
	"(Kèm theo Công văn số 112/VP-HCTC ngày 24 tháng 11 năm 2026 của VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH)" \
	"Số lượng đăng ký: 03 (ba) chứng thư" "Danh sách đăng ký:" "Nguyễn Thị Hường" "Đỗ Thị Ngọc Ánh" \
	"Lương Văn Khải" "12/03/1986" "02/11/1979" "30/08/1980" "034186000123" \
	"A408636402FBF56C05835A1FAE0ECCFB" "5403E3A1B2C4D5E6F708192B" "NGƯỜI LẬP" \
	"Thái Bình, ngày 24 tháng 11 năm 2026 THỦ TRƯỞNG ĐƠN VỊ (Ký tên và đóng dấu) Lê Quang Vinh"
check "Mẫu 03: landscape" test "$(page_size "$T/m03.pdf")" = landscape
check "Mẫu 03 fonts embedded, Liberation Serif" fonts "$T/m03.pdf"
check "Mẫu 04 renders" "$RENDER_FORM" list-org "$FIXTURES/list-org.json" "$A" "$T/m04.pdf"
check "Mẫu 04: the regulation's words, in its order" wording 4 "$T/m04.pdf"
pdftotext -raw "$T/m04.pdf" "$T/m04.raw"
fields "Mẫu 04" "$T/m04.raw" \
	"DANH SÁCH ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO TỔ CHỨC" "Số lượng đăng ký: 02 (hai) chứng thư" \
	"Thông tin người quản lý chứng thư số" "Thông tin đăng ký chứng thư số" "Phạm Thị Ngọc Diệp" \
	"09/07/1975" "1000215430" "1000214564" "FB61AD487685A42493EC1195E971397B"
check "Mẫu 04: landscape" test "$(page_size "$T/m04.pdf")" = landscape
check "Mẫu 06 renders" "$RENDER_FORM" list-revoke "$FIXTURES/list-revoke.json" "$A" "$T/m06.pdf"
check "Mẫu 06: the regulation's words, in its order" wording 6 "$T/m06.pdf"
pdftotext -raw "$T/m06.pdf" "$T/m06.raw"
fields "Mẫu 06" "$T/m06.raw" \
	"DANH SÁCH ĐỀ NGHỊ THU HỒI/GIA HẠN CHỨNG THƯ SỐ CỦA CÁ NHÂN, TỔ CHỨC" \
	"Số lượng thu hồi/gia hạn: 03 (ba) chứng thư" "Danh sách thu hồi:" \
	"Trần Văn Đức 05/01/1984 034184000124 / … / … Chánh Văn phòng" "Cá nhân" "Tổ chức" \
	"Chuyển công tác sang cơ quan khác" "Gia hạn" "(Ký tên và ghi rõ họ tên, số điện thoại liên hệ)"
check "Mẫu 06: landscape" test "$(page_size "$T/m06.pdf")" = landscape
check "Mẫu 06 fonts embedded, Liberation Serif" fonts "$T/m06.pdf"

# No code of the protocol on paper: the reasons in the regulation's words,
# one a form does not know left to fill by hand (issue 17)
codes=0
for f in m10 m05o m06 m05 m02; do
	for c in key-compromise new-issue re-issue revocation-return transfer title-change expired \
		 organization person renew revoke; do
		if pdftotext "$T/$f.pdf" - | grep -qwF -- "$c"; then echo "# $f.pdf prints the code '$c'"; codes=1; fi
	done
done
check "no reason or kind printed as its code on any form" test $codes = 0

# csv LIST FIXTURE EXPECTED.json: the CSV read back with python's csv module
# equals EXPECTED (the rows, titles first), every line ends in CRLF
csv_is() {
	"$RENDER_FORM" "list-$1" "$FIXTURES/$2" "$T/$1.csv" &&
	python3 - "$T/$1.csv" "$3" <<'PY'
import csv, json, sys
raw = open(sys.argv[1], "rb").read()
lines = raw.split(b"\n")
if lines[-1] != b"" or not all(l.endswith(b"\r") for l in lines[:-1]):
    print("# not CRLF line ends"); sys.exit(1)
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
want = json.loads(sys.argv[2])
if rows != want:
    print("# got  %s\n# want %s" % (json.dumps(rows, ensure_ascii=False), json.dumps(want, ensure_ascii=False)))
    sys.exit(1)
PY
}
check "Mẫu 03 as CSV: the form's columns, a row per request, quotes" csv_is person list-person.json '[
 ["STT","Họ tên","Ngày sinh","Số CMTND/Ngày cấp/Nơi cấp","Tên cơ quan, đơn vị","Tỉnh/Thành phố","Chức vụ","Chức danh của người có thẩm quyền","Địa chỉ thư điện tử","Chứng thư số cũ (nếu có)"],
 ["1","Nguyễn Thị Hường","12/03/1986","034186000123","Văn phòng UBND tỉnh Thái Bình","","Phó Chánh Văn phòng","","huongnt.vp@thaibinh.gov.vn","A408636402FBF56C05835A1FAE0ECCFB"],
 ["2","Đỗ Thị Ngọc Ánh","02/11/1979","034179001234","Ủy ban nhân dân huyện Vũ Thư, tỉnh Thái Bình","","Phó Chủ tịch \"thường trực\"","","anhdtn.vuthu@thaibinh.gov.vn",""],
 ["3","Lương Văn Khải","30/08/1980","034080009876","Văn phòng UBND tỉnh Thái Bình","","Trưởng phòng Hành chính - Tổ chức","","","5403E3A1B2C4D5E6F708192B"]]'
check "Mẫu 03 CSV quotes a comma and doubles quotes" grep -qF '"Phó Chủ tịch ""thường trực"""' "$T/person.csv"
check "Mẫu 04 as CSV" csv_is org list-org.json '[
 ["STT","Họ tên","Ngày sinh","Số CMTND/Ngày cấp/Nơi cấp","Cơ quan, tổ chức công tác","Địa chỉ thư điện tử cá nhân","Tên cơ quan, tổ chức","Tỉnh/Thành phố","Mã số thuế của cơ quan","Địa chỉ thư điện tử cơ quan","Chứng thư số cũ (nếu có)"],
 ["1","Phạm Thị Ngọc Diệp","09/07/1975","034175004321","Sở Tài chính tỉnh Thái Bình","diepptn.stc@thaibinh.gov.vn","Sở Tài chính tỉnh Thái Bình","","1000215430","stc@thaibinh.gov.vn",""],
 ["2","","","","","","Văn phòng UBND tỉnh Thái Bình","","1000214564","vpubnd@thaibinh.gov.vn","FB61AD487685A42493EC1195E971397B"]]'
check "Mẫu 06 as CSV" csv_is revoke list-revoke.json '[
 ["STT","Họ tên","Ngày sinh","Số CMTND/Ngày cấp/Nơi cấp","Chức vụ","Tên cơ quan, đơn vị","Loại chứng thư số (cá nhân/tổ chức)","Lý do thu hồi/gia hạn"],
 ["1","Trần Văn Đức","05/01/1984","034184000124","Chánh Văn phòng","Văn phòng UBND tỉnh Thái Bình","Cá nhân","Chuyển công tác sang cơ quan khác"],
 ["2","Nguyễn Thị Hường","18/04/1986","034186000777","Văn thư","Ủy ban nhân dân huyện Vũ Thư","Tổ chức",""],
 ["3","Nguyễn Thị Hường","12/03/1986","034186000123","Phó Chánh Văn phòng","Văn phòng UBND tỉnh Thái Bình","Cá nhân","Gia hạn"]]'
json "$FIXTURES/list-person.json" "$T/lp.json" 'r[0]["person"].update(id_issued_on="2021-04-10", id_issued_by="Cục Cảnh sát QLHC về TTXH")'
"$RENDER_FORM" list-person "$T/lp.json" "$T/lp.csv"
check "Mẫu 03: the ID card's date and place of issue a person record keeps" \
	grep -qF "034186000123 / 10/04/2021 / Cục Cảnh sát QLHC về TTXH" "$T/lp.csv"
check "Mẫu 03 as text: a row per request" test "$("$RENDER_FORM" list-person "$FIXTURES/list-person.json" "$A" - | grep -c '^[123] | ')" = 3

# Mẫu 07: the annual report
check "Mẫu 07 renders" "$RENDER_FORM" report "$FIXTURES/report.json" "$A" "$T/m07.pdf"
check "Mẫu 07: the regulation's words, in its order" wording 7 "$T/m07.pdf"
pdftotext -raw "$T/m07.pdf" "$T/m07.raw"
fields "Mẫu 07" "$T/m07.raw" \
	"BÁO CÁO Tình hình quản lý, sử dụng chứng thư số năm 2026" \
	"Số: 112/VP-HCTC" "Thái Bình, ngày 24 tháng 11 năm 2026" \
	"Văn phòng UBND tỉnh Thái Bình báo cáo kết quả quản lý, sử dụng chứng thư số chuyên dùng của tổ chức, cá nhân trong đơn vị trong năm 2026 như sau:" \
	"THỦ TRƯỞNG ĐƠN VỊ (ký tên và đóng dấu) Lê Quang Vinh" "Nơi nhận:"
for s in "Kính gửi" "Số liệu tính đến" "Số liệu do cơ quan nhập" "Ghi chú"; do
	check "Mẫu 07: no '$s', which the form does not have" bash -c '! tr -s " \n\f" "   " < "$0" | grep -qF -- "$1"' "$T/m07.raw" "$s"
done
check "Mẫu 07: the columns STT | Nội dung | Số lượng" bash -c \
	'pdftotext -layout "$0" - | grep -qE "STT +Nội dung +Số lượng *$"' "$T/m07.pdf"
pdftotext -bbox "$T/m07.pdf" "$T/m07.html"
check "Mẫu 07: every figure in its row, split tổ chức/cá nhân on rows 3–6" \
	python3 "$FIXTURES/report-table.py" "$T/m07.html" "$FIXTURES/report.json"
check "Mẫu 07: one A4 portrait page" test "$(page_size "$T/m07.pdf") $(pages "$T/m07.pdf")" = "portrait 1"
check "Mẫu 07 fonts embedded, Liberation Serif" fonts "$T/m07.pdf"
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); r.update(organization_id=None, organization_name=None); json.dump(r, open(sys.argv[2], "w"))' \
	"$FIXTURES/report.json" "$T/all.json"
check "Mẫu 07 of every agency, as text" bash -c '"$0" report "$1" "$2" - | grep -qF "SỞ THÔNG TIN VÀ TRUYỀN THÔNG báo cáo kết quả quản lý, sử dụng chứng thư số chuyên dùng của tổ chức, cá nhân tại các cơ quan, đơn vị trong năm 2026"' \
	"$RENDER_FORM" "$T/all.json" "$FIXTURES/agency.json"
check "Mẫu 07 as text: row 8 as the form words it" bash -c '"$0" report "$1" - | grep -qx "8 | Tổng số văn bản đã thực hiện ký số bằng chứng thư số của tổ chức | 1250"' \
	"$RENDER_FORM" "$FIXTURES/report.json"
[ "$n" = "$PLAN" ] || echo "# planned $PLAN, ran $n"
exit $((failed > 0))
