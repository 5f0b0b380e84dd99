#!/usr/bin/env bash
# khoa print request and khoa print list through the real khoa client and
# the real daemon: a person's renewal filed on the fixture token prints as
# Mẫu 02 with the certificate serial as openssl reads it and the token
# serial as pkcs11-tool reads it; a revocation prints as Mẫu 05 with both;
# the list of Mẫu 03 as CSV has the request's row; an empty list is an
# error, not an empty paper. The forms are rendered by khoa's print helper
# ($KHOA_PRINT_HELPER, the build's khoa-print): without it khoa says where
# it looked.
. "$(dirname "$0")/lib.sh"

make_tokens
printf '[forms]\nplace = Thái Bình\n' >>"$TMP/khoad.conf"
start_khoad

out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }
flat() { pdftotext "$1" - | tr -s ' \n\f' '  '; }

# The certificate serial on the token LABEL, as openssl prints it.
cert_serial() {
	local id
	id=$(p11 --token-label "$1" -O --type cert | sed -n 's/^ *ID: *//p' | head -n 1)
	p11 --token-label "$1" --read-object --type cert --id "$id" -o "$TMP/c.der" >/dev/null
	openssl x509 -inform DER -in "$TMP/c.der" -noout -serial | sed 's/^serial=//'
}

# ----- the registry: the office under its managing body
khoa --json org create --name "Ủy ban nhân dân tỉnh Thái Bình" >"$TMP/out"
province=$(j .organization.id)
khoa --json org create --name "Văn phòng UBND tỉnh Thái Bình" --tax-code 1000214564 \
	--email vpubnd@thaibinh.gov.vn --parent "$province" >"$TMP/out"
office=$(j .organization.id)
khoa --json person create --name "Nguyễn Thị Hường" --id-number 034186000123 \
	--birth-date 12/03/1986 --org "$office" --position "Phó Chánh Văn phòng" >"$TMP/out"
huong_id=$(j .person.id)
khoa --json person create --name "Trần Văn Đức" --id-number 034186000124 --org "$office" \
	>"$TMP/out"
duc_id=$(j .person.id)
huong=$(token_serial "Nguyen Thi Huong")
duc=$(token_serial "Tran Van Duc")
khoa register "$huong" --holder "$huong_id" >/dev/null
khoa register "$duc" --holder "$duc_id" >/dev/null
# What the forms ask of Hường, kept once in her record (issue 17, item 4).
khoa person update "$huong_id" --sex Nữ --birth-place "Vũ Thư, Thái Bình" --id-issued-on 10/04/2021 \
	--id-issued-by "Cục Cảnh sát QLHC về TTXH" --address "Số 5 Lý Thường Kiệt" \
	--phone 0912345678 --fax 02273831234 --email huong@thaibinh.gov.vn >/dev/null

# ----- Mẫu 02: a renewal
khoa --json request new renew "$huong" --years 5 >"$TMP/out"
renewal=$(j .request.id)
check_status "print request: the renewal as PDF" 0 \
	bash -c 'cd "$1" && "$2" --socket "$3" print request "$4"' \
	_ "$TMP" "$KHOA" "$SOCK" "$renewal"
check_contains "  written as mau02-ID.pdf" "mau02-$renewal.pdf" "$(out)"
m02=$(flat "$TMP/mau02-$renewal.pdf")
check_contains "  Mẫu 02's title, as the regulation words it" \
	"VĂN BẢN ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO CÁ NHÂN" "$m02"
check_contains "  the name in capitals" "Họ và tên (chữ in hoa): NGUYỄN THỊ HƯỜNG" "$m02"
check_contains "  the birth date dd/mm/yyyy" "Ngày sinh: 12/03/1986" "$m02"
check_contains "  the certificate serial as openssl reads it" \
	"Số chứng thư số cũ (nếu có): $(cert_serial "Nguyen Thi Huong")" "$m02"
check_contains "  the years asked" "(tối đa là 10 năm): 5 năm" "$m02"
check_eq "  a personal declaration: no agency heads it" "" \
	"$(grep -o "VĂN PHÒNG UBND TỈNH THÁI BÌNH" <<<"$m02" || true)"
check_contains "  dated where it is signed, at khoad.conf's [forms] place" "Thái Bình, ngày" "$m02"
# (the ID's issue in narrow cells: its words may wrap, they are there)
# (Mẫu 01 and 02 print "Nam Nữ" with the one that does not apply struck through)
for field in "Giới tính: Nam Nữ" "Nơi sinh: Vũ Thư, Thái Bình" "10/04/2021" "QLHC về TTXH" \
	"Địa chỉ: Số 5 Lý Thường Kiệt" "Fax: 02273831234"; do
	check_contains "  from her record: $field" "$field" "$m02"
done
check_status "print request --format text" 0 khoa print request "$renewal" --format text
check_contains "  the token's person" "Số CMND/Hộ chiếu: 034186000123" "$(out)"

# ----- Mẫu 05: a revocation, both serials
khoa --json request new revoke "$duc" --reason transfer >"$TMP/out"
revocation=$(j .request.id)
check_status "print request: the revocation" 0 khoa print request "$revocation" \
	--output "$TMP/m05.pdf"
m05=$(flat "$TMP/m05.pdf")
check_contains "  Mẫu 05's title" "VĂN BẢN ĐỀ NGHỊ THU HỒI CHỨNG THƯ SỐ" "$m05"
check_contains "  the certificate serial as openssl reads it" \
	"Số hiệu chứng thư: $(cert_serial "Tran Van Duc")" "$m05"
check_contains "  the token serial as pkcs11-tool reads it" \
	"Số hiệu thiết bị lưu khóa bí mật: $duc" "$m05"
check_contains "  the reason in Vietnamese" "Lý do thu hồi: Chuyển công tác sang cơ quan khác" "$m05"
check_contains "  the Subject read from the token" "Tên chứng thư số (2): " "$m05"
check_eq "  … not left to fill" "" "$(grep -o 'Tên chứng thư số (2): …' <<<"$m05" || true)"

# ----- Mẫu 09 filled from the record, nothing typed
check_status "pin-request new with no field given" 0 khoa pin-request new "$huong" \
	--reason "Quên mật khẩu" --no-input
pin_req=$(khoa --json pin-request list | jq -r '.requests[0].id')
check_status "print pin-request" 0 khoa print pin-request "$pin_req" --output "$TMP/m09.pdf"
m09=$(flat "$TMP/m09.pdf")
for field in "Giới tính: Nữ" "Ngày sinh: 12/03/1986" "Nơi sinh: Vũ Thư, Thái Bình" \
	"Số CMND/Hộ chiếu: 034186000123" "10/04/2021" "QLHC về TTXH" \
	"Điện thoại: 0912345678" "Fax: 02273831234" "Địa chỉ thư điện tử (3): huong@thaibinh.gov.vn"; do
	check_contains "  Mẫu 09 from her record: $field" "$field" "$m09"
done
check_status "  as text too" 0 khoa print pin-request "$pin_req" --format text
check_contains "  the sex by its word, not its code" "Giới tính: Nữ" "$(out)"
check_contains "  the ID's issue" "Ngày cấp: 10/04/2021   Nơi cấp: Cục Cảnh sát QLHC về TTXH" "$(out)"
check_eq "  never the code" "" "$(grep -E 'female|male' "$TMP/out" || true)"

# ----- Mẫu 01 and 04: the manager of the organization's certificate, by
# its record when no Mẫu 08 decision names one (issue 17)
check_status "org update --manager --managing-body" 0 khoa org update "$office" \
	--manager "$huong_id" --managing-body "UBND tỉnh Thái Bình"
khoa --json request new new --org "$office" --years 3 >"$TMP/out"
org_new=$(j .request.id)
check_status "print request: the organization's new certificate (Mẫu 01)" 0 \
	khoa print request "$org_new" --output "$TMP/m01.pdf"
m01=$(flat "$TMP/m01.pdf")
check_contains "  Mẫu 01's title" "CHỨNG THƯ SỐ CHO CƠ QUAN, TỔ CHỨC" "$m01"
check_contains "  the manager set by --manager, in capitals" \
	"Họ và tên (chữ in hoa): NGUYỄN THỊ HƯỜNG" "$m01"
for field in "Giới tính: Nam Nữ" "Nơi sinh: Vũ Thư, Thái Bình" "10/04/2021" "QLHC về TTXH" \
	"Chức vụ: Phó Chánh Văn phòng" "Địa chỉ: Số 5 Lý Thường Kiệt" "Fax: 02273831234"; do
	check_contains "  the manager's record: $field" "$field" "$m01"
done
check_contains "  who signs as the manager" "NGƯỜI QUẢN LÝ CHỨNG THƯ SỐ (Ký và ghi rõ họ tên) Nguyễn Thị Hường" "$m01"
check_contains "  headed by its managing body, from its record" "UBND TỈNH THÁI BÌNH" "$m01"
check_status "  Mẫu 04 lists it with the manager" 0 \
	khoa print list --kind org --state any --format csv
check_contains "  her name, and her ID card with its issue" \
	"1|Nguyễn Thị Hường|12/03/1986|034186000123 / 10/04/2021 / Cục Cảnh sát QLHC về TTXH|Văn phòng UBND tỉnh Thái Bình|huong@thaibinh.gov.vn|Văn phòng UBND tỉnh Thái Bình" \
	"$(python3 -c 'import csv, sys; [print("|".join(r)) for r in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))]' "$TMP/out")"
khoa manager-change --org "$office" --kind organization --name "Văn phòng UBND tỉnh Thái Bình" \
	--from "$huong_id" --to "$duc_id" --effective "$(date -u +%d/%m/%Y)" >/dev/null
check_status "  a Mẫu 08 decision names a newer one" 0 khoa print request "$org_new" \
	--output "$TMP/m01b.pdf"
check_contains "  who is printed then" "Họ và tên (chữ in hoa): TRẦN VĂN ĐỨC" "$(flat "$TMP/m01b.pdf")"

# ----- Mẫu 03 as CSV
check_status "print list --kind person --state any --format csv" 0 \
	khoa print list --kind person --state any --format csv
check_eq "  the form's columns, then one row" \
	"STT|Họ tên|Ngày sinh|Số CMTND/Ngày cấp/Nơi cấp|Tên cơ quan, đơn vị|Tỉnh/Thành phố|Chức vụ|Chức danh của người có thẩm quyền|Địa chỉ thư điện tử|Chứng thư số cũ (nếu có)
1|Nguyễn Thị Hường|12/03/1986|034186000123 / 10/04/2021 / Cục Cảnh sát QLHC về TTXH|Văn phòng UBND tỉnh Thái Bình||Phó Chánh Văn phòng||huong@thaibinh.gov.vn|$(cert_serial "Nguyen Thi Huong")" \
	"$(python3 -c 'import csv, sys; [print("|".join(r)) for r in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))]' "$TMP/out")"
check_eq "  UTF-8 with its byte order mark, as Excel needs to read it (issue 17)" "efbbbf" \
	"$(head -c 3 "$TMP/out" | od -An -tx1 | tr -d ' \n')"
check_status "print list --kind revoke (PDF)" 0 khoa print list --kind revoke --state any \
	--output "$TMP/m06.pdf"
check_contains "  Mẫu 06 landscape" "841.89 x 595.276" "$(pdfinfo "$TMP/m06.pdf")"
check_contains "  its row" "Chuyển công tác sang cơ quan khác" "$(flat "$TMP/m06.pdf")"

# ----- the same header on every paper of one agency (issue 17): the
# managing body over the agency, Mẫu 09 as the lists
header() { pdftotext -raw "$1" - | head -n 2 | sed 's/ *CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$//' | paste -sd '|'; }
check_eq "Mẫu 06's header: the office under its managing body" \
	"ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH|VĂN PHÒNG UBND TỈNH THÁI BÌNH" "$(header "$TMP/m06.pdf")"
# (her request filed above, from her record)
check_status "print pin-request (Mẫu 09)" 0 khoa print pin-request "$pin_req" --output "$TMP/m09.pdf"
check_eq "  the same header as the office's lists" \
	"ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH|VĂN PHÒNG UBND TỈNH THÁI BÌNH" "$(header "$TMP/m09.pdf")"
check_contains "  the certificate serial read back whole" "$(cert_serial "Nguyen Thi Huong")" \
	"$(pdftotext -raw "$TMP/m09.pdf" - | tr ' ' '\n')"
check_contains "  dated at khoad.conf's place, where it is signed" "Thái Bình, ngày" "$(flat "$TMP/m09.pdf")"

# ----- what cannot be printed
LANGUAGE=vi check_status "print into a folder that does not exist" 1 khoa print list \
	--kind revoke --state any --output "$TMP/none/m06.pdf"
check_eq "  said in Vietnamese, not cairo's English" \
	"khoa print list: không ghi được $TMP/none/m06.pdf: thư mục đó không tồn tại" "$(cat "$TMP/err")"
check_status "print list: none confirmed" 1 khoa print list --kind person
check_contains "  says so" "--state any" "$(err)"
check_eq "  and writes nothing" "" "$(out)"
check_status "print list: no --kind" 64 khoa print list
check_status "print list --format csv for a request" 64 khoa print request "$renewal" --format csv
check_status "print request of no request" 1 khoa print request 99
check_status "print request to a directory that is not there" 1 khoa print request \
	"$renewal" --output "$TMP/no/such/dir/m02.pdf"
check_eq "  says the helper cannot write it, and why" \
	"khoa print request: cannot write $TMP/no/such/dir/m02.pdf: that folder does not exist" "$(err)"

# ----- without the print helper
KHOA_PRINT_HELPER=$TMP/libexec/khoa-print check_status "print without khoa-print" 1 \
	khoa print request "$renewal" --output "$TMP/none.pdf"
check_eq "  says where khoa looked" \
	"khoa print request: khoa-print is not installed at $TMP/libexec/khoa-print" "$(err)"
check_eq "  in Vietnamese too" \
	"khoa print request: chưa cài khoa-print tại $TMP/libexec/khoa-print" \
	"$(KHOA_PRINT_HELPER=$TMP/libexec/khoa-print LANGUAGE=vi "$KHOA" --socket "$SOCK" \
		print request "$renewal" 2>&1 >/dev/null)"
KHOA_PRINT_HELPER=$TMP/libexec/khoa-print check_status "--json needs no helper" 0 \
	khoa --json print request "$renewal"
check_eq "  the record as JSON" "$renewal" "$(j .request.id)"

done_testing
