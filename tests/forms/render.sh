#!/bin/bash
# forms/ rendered to PDF (Mẫu 10, 09, 08) and read back with poppler: every
# field, the Vietnamese text exactly, the two copies of Mẫu 10, fonts embedded.
# TAP. Needs RENDER_FORM (tests/forms/render-form) and FIXTURES (this folder).
set -u
RENDER_FORM=${RENDER_FORM:?} FIXTURES=${FIXTURES:?}
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

echo "1..34"

# Mẫu 10
check "Mẫu 10 renders" "$RENDER_FORM" handover "$FIXTURES/handover.json" "$FIXTURES/agency.json" "$T/m10.pdf"
pdftotext -layout "$T/m10.pdf" "$T/m10.txt"
pdftotext "$T/m10.pdf" "$T/m10.raw"
for s in "BIÊN BẢN GIAO NHẬN THIẾT BỊ LƯU KHÓA BÍ MẬT" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" \
	 "Độc lập - Tự do - Hạnh phúc" "Thái Bình, ngày 05 tháng 3 năm 2026" "Số: 15/BB-STTTT" \
	 "03 (ba) bộ" "5403E3A1B2C4D5E6F7081929" "VT2016A0001836" "Đỗ Thị Ngọc Ánh" "Trần Văn Hưởng" \
	 "ĐẠI DIỆN BÊN GIAO" "ĐẠI DIỆN BÊN NHẬN"; do
	check "Mẫu 10 -layout has '$s'" grep -qF -- "$s" "$T/m10.txt"
done
for s in "Hôm nay, vào hồi 09 giờ 30 phút ngày 05 tháng 3 năm 2026" "Số hiệu thiết bị lưu khóa bí mật" \
	 "Thời điểm có hiệu" "Lý do giao nhận (1)" "Ghi chú (3)" \
	 "Ủy ban nhân dân huyện Vũ Thư" "Nguyễn Thị Hường" "Từ 01/03/2026 đến 28/02/2031" "Cấp lại"; do
	check "Mẫu 10 has '$s'" has "$T/m10.raw" "$s"
done
check "Mẫu 10: one copy for the giver" test "$(grep -c 'Bản của bên giao' "$T/m10.txt")" = 1
check "Mẫu 10: one copy for the receiver" test "$(grep -c 'Bản của bên nhận' "$T/m10.txt")" = 1
pages=$(pdfinfo "$T/m10.pdf" | awk '/^Pages:/ { print $2 }')
check "Mẫu 10: two copies of equal length ($pages pages)" test $((pages % 2)) = 0
check "Mẫu 10 fonts embedded, Liberation Serif" fonts "$T/m10.pdf"

# Mẫu 09
check "Mẫu 09 renders" "$RENDER_FORM" pin-request "$FIXTURES/pin-request.json" "$FIXTURES/agency-vuthu.json" "$T/m09.pdf"
pdftotext "$T/m09.pdf" "$T/m09.raw"
m09=0
for s in "VĂN BẢN ĐỀ NGHỊ KHÔI PHỤC MẬT KHẨU THIẾT BỊ LƯU KHÓA BÍ MẬT" "Kính gửi: Sở Thông tin và Truyền thông" \
	 "Họ và tên thuê bao (viết chữ in hoa): ĐỖ THỊ NGỌC ÁNH" "Giới tính: Nữ" "Ngày sinh: 02/11/1979" \
	 "Số CMND/Hộ chiếu: 034179001234" "Số hiệu thiết bị lưu khóa bí mật: VT2016A0001835" \
	 "CN=Đỗ Thị Ngọc Ánh" "anhdtn.vuthu@thaibinh.gov.vn" "5403E3A1B2C4D5E6F708192A" "28/02/2031" \
	 "Số điện thoại liên hệ của cán bộ quản lý thiết bị: 0912 345 678" "Vũ Thư, ngày 07 tháng 01 năm 2026" \
	 "NGƯỜI KHAI" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"; do
	has "$T/m09.raw" "$s" || { echo "# Mẫu 09 lacks '$s'"; m09=1; }
done
check "Mẫu 09 has every field" test $m09 = 0
check "Mẫu 09 fonts embedded, Liberation Serif" fonts "$T/m09.pdf"

# Mẫu 08
check "Mẫu 08 renders" "$RENDER_FORM" manager-change "$FIXTURES/manager-change.json" "$FIXTURES/agency-vuthu.json" "$T/m08.pdf"
pdftotext "$T/m08.pdf" "$T/m08.raw"
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

# the text rendering and bad input
check "Mẫu 10 as text" bash -c '"$0" handover "$1" - | grep -qF "Bên giao đã giao cho Bên nhận: 03 (ba) bộ"' \
	"$RENDER_FORM" "$FIXTURES/handover.json"
echo '{"id": 1}' > "$T/bad.json"
check "a record that is no handover is refused" bash -c '! "$0" handover "$1" "$2" 2> "$3" && grep -q "not a handover" "$3"' \
	"$RENDER_FORM" "$T/bad.json" "$T/bad.pdf" "$T/err"
check "an unwritable path is refused" bash -c '! "$0" handover "$1" /nonexistent/dir/x.pdf 2>/dev/null' \
	"$RENDER_FORM" "$FIXTURES/handover.json"
[ "$n" = 34 ] || echo "# planned 34, ran $n"
exit $((failed > 0))
