#!/usr/bin/env bash
# Certificate lifecycle requests through the real khoa client and the real
# daemon: a renewal refused by R-RENEW-60D (the fixture's "Van phong UBND"
# certificate has 30 days left), a renewal of a 3-year certificate filed by
# root and walked confirm → submit → forward → done by other people (four
# eyes, R-RENEW-APPROVE: root, admin as it is, may not confirm it; the
# refusal in English and in Vietnamese), a second renewal refused by
# R-RENEW-ONCE, a wrong step refused naming the state, and what list, show
# and count print.
. "$(dirname "$0")/lib.sh"

as_roles
make_tokens
start_khoad

out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }
year=$(date -u +%Y)

# ----- the registry
khoa --json org create --name "Sở Tài chính" >"$TMP/out"
finance=$(j .organization.id)
khoa --json person create --name "Nguyễn Thị Hường" --id-number 034186000123 \
	--birth-date 12/03/1986 --org "$finance" >"$TMP/out"
huong_id=$(j .person.id)
huong=$(token_serial "Nguyen Thi Huong")
khoa register "$huong" --holder "$huong_id" >/dev/null
khoa --json org create --name "Văn phòng UBND tỉnh Thái Bình" >"$TMP/out"
office=$(j .organization.id)
org_token=$(token_serial "Van phong UBND")
khoa register "$org_token" --org "$office" >/dev/null

# ----- R-RENEW-60D
check_status "renewal with 30 days left refused" 1 khoa request new renew "$org_token"
check_contains "the refusal cites the rule" "khoa: refused by R-RENEW-60D: " "$(err)"
check_contains "with the daemon's sentence" "30 days" "$(err)"
check_eq "nothing on stdout" "" "$(out)"

# ----- a renewal walked to done
check_status "renewal of a 3-year certificate filed" 0 khoa request new renew "$huong" --years 5
check_contains "filed, for its holder" "Request 1 (renewal) is filed for Nguyễn Thị Hường." "$(out)"
check_contains "the token read" "$huong" "$(out)"
check_contains "what comes next" "khoa request confirm 1" "$(out)"

check_status "submit before confirm refused" 1 khoa request submit 1
check_contains "the refusal names the state" "is filed; submit is not possible" "$(err)"

check_status "root, who filed it, may not confirm it" 1 khoa request confirm 1 --note "Đủ hồ sơ"
check_eq "  four eyes, in the client's words" "khoa: permission denied: two successive approval steps of a request need two different people, and whoever filed it neither confirms nor forwards it (R-RENEW-APPROVE)" \
	"$(err)"
check_status "  in Vietnamese too" 1 env LANGUAGE=vi LANG=vi_VN.UTF-8 \
	"$KHOA" --socket "$SOCK" request confirm 1
check_eq "  the Vietnamese words" "khoa: không có quyền: hai bước phê duyệt liên tiếp của một đề nghị phải do hai người khác nhau thực hiện, và người lập đề nghị không tự xác nhận hay chuyển tiếp đề nghị của mình (R-RENEW-APPROVE)" \
	"$(err)"
check_status "confirm (the clerk)" 0 khoa_as clerk request confirm 1 --note "Đủ hồ sơ"
check_contains "now confirmed" "Request 1 (renewal) is now confirmed." "$(out)"
check_status "submit (a technician)" 0 khoa_as technician request submit 1
check_contains "now submitted" "is now submitted." "$(out)"
check_status "forward (an admin, not root who filed it)" 0 khoa_as admin request forward 1
check_contains "now forwarded" "is now forwarded." "$(out)"
check_contains "next: done" "khoa request done 1" "$(out)"
check_status "done (root: no approval, the filer may)" 0 khoa request done 1
check_contains "now done" "Request 1 (renewal) is now done." "$(out)"
check_status "done twice refused" 1 khoa request done 1
check_contains "naming the state" "is done;" "$(err)"
check_status "cancel without a note" 64 khoa request cancel 1
check_status "a step on no request" 1 khoa request confirm 99

# ----- R-RENEW-ONCE
check_status "a second renewal refused" 1 khoa request new renew "$huong"
check_contains "citing R-RENEW-ONCE" "khoa: refused by R-RENEW-ONCE: " "$(err)"

check_status "an unknown kind" 64 khoa request new extend "$huong"

# ----- reading
check_status "list" 0 khoa request list
check_contains "list: the renewal" "renewal" "$(out)"
check_contains "list: its state" "done" "$(out)"
check_contains "list: its holder" "Nguyễn Thị Hường" "$(out)"
check_status "list of cancelled" 0 khoa request list --state cancelled
check_eq "none cancelled" "No certificate request." "$(out)"
check_eq "list --json" "1|renew|done" \
	"$(khoa --json request list --kind renew | jq -r '.requests[] | "\(.id)|\(.kind)|\(.state)"')"

check_status "show" 0 khoa request show 1
for step in "filed → confirmed" "confirmed → submitted" "submitted → forwarded" \
	"forwarded → done" "Đủ hồ sơ"; do
	check_contains "show: $step" "$step" "$(out)"
done
check_contains "show: the holder" "Nguyễn Thị Hường (person $huong_id)" "$(out)"
for step in "filed → confirmed:lp" "confirmed → submitted:news" "submitted → forwarded:uucp" \
	"forwarded → done:root"; do
	# (a space after each line: a table's lines end without one)
	check_contains "show: ${step%:*} by ${step#*:}" " ${step#*:} " \
		"$(grep -F "${step%:*}" "$TMP/out" | sed 's/$/ /' || true)"
done

check_status "count" 0 khoa request count --year "$year"
check_eq "count this year" "Certificate requests filed in $year: 1" "$(out)"
check_status "count of renewals" 0 khoa request count --year "$year" --kind renew
check_eq "count of renewals this year" "Requests for a renewal filed in $year: 1" "$(out)"
check_status "count of revocations" 0 khoa request count --year "$year" --kind revoke
check_contains "none" ": 0" "$(out)"
check_status "count needs --year" 64 khoa request count

# ----- in Vietnamese
check_status "a refusal in Vietnamese" 1 env LANGUAGE=vi LANG=vi_VN.UTF-8 \
	"$KHOA" --socket "$SOCK" request new renew "$org_token"
check_contains "the frame translated, the rule as sent" "bị từ chối theo R-RENEW-60D: " "$(err)"
check_contains "  and the fact in Vietnamese too (issue 17)" "ngày sử dụng, gia hạn cần còn ít nhất 60 ngày" "$(err)"

# ----- reasons by their code or their name (issue 17)
help=$(LANGUAGE=vi khoa request --help)
check_contains "request --help lists the reasons, code and name" "title-change" "$help"
check_contains "  in Vietnamese" "thay đổi chức danh, chức vụ" "$help"
LANGUAGE=vi check_status "--reason by its Vietnamese name, typed without diacritics" 0 \
	khoa --json request new revoke "$huong" --reason "het han su dung"
check_eq "  filed with the code" "expired" "$(jq -r .request.reason <<<"$(out)")"
LANGUAGE=vi khoa request show "$(jq -r .request.id <<<"$(out)")" >"$TMP/shown"
check_contains "  shown by its name" "hết hạn sử dụng" "$(cat "$TMP/shown")"
LANGUAGE=vi check_status "--reason 'Hết hạn', the first words of one name" 0 \
	khoa --json request new revoke "$org_token" --reason "Hết hạn"
check_eq "  filed as expired" "expired" "$(jq -r .request.reason <<<"$(out)")"
check_status "--reason that names none" 64 khoa request new revoke "$huong" --reason "mat tich"
check_contains "  lists the reasons" "conviction-cleared" "$(err)"

done_testing
