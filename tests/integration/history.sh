#!/usr/bin/env bash
# A token's history as a records clerk reads it (issue 17, item 2), through
# the real khoa client and the real daemon: the organization token goes
# through a handover and out and back in on the seal register, a person's
# token through a wrong PIN and a PIN recovery (Mẫu 09) whose steps four
# people take. khoa history says each event in a sentence (who did what to
# which token, when, with the handover and its parties, the purpose and the
# time due, the request and its step), in Vietnamese under LANGUAGE=vi and
# never as JSON, while --json keeps the events as khoad sends them; khoa
# watch says an event as it happens; the wrong PIN is the user's who typed
# it, not khoad's; khoa print history, custody and seal-register put them
# on paper, in Vietnamese.
. "$(dirname "$0")/lib.sh"

# Every type of event khoad records (the literal types of daemon/) has its
# sentence in khoa's one table (client/event.c): none is left to the
# fallback for a newer khoad's types.
types=$(grep -rhoE '"(token|pin|pin_request|lifecycle_request|handover|custody|seal|manager|certificate|report|audit|organization|person)\.[a-z_]+"' \
	--include='*.c' "$SOURCE_ROOT/daemon" | sort -u | grep -vE '^"audit\.(head|sealed)"$|\.h"$')
missing=
for type in $types; do
	grep -qF "{ $type," "$SOURCE_ROOT/client/event.c" || missing="$missing $type"
done
check_eq "every event type of daemon/ ($(wc -w <<<"$types") of them) has a sentence in client/event.c" \
	"" "$missing"
[ "$(wc -w <<<"$types")" -ge 50 ] && ok "  the types are found" || not_ok "  the types are found"

make_tokens
as_roles
start_khoad

out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }
flat() { pdftotext "$1" - | tr -s ' \n\f' '  '; }
# An ISO time of the protocol as khoa shows it (local time: TZ=UTC here).
shown() { date -d "$1" +'%d/%m/%Y %H:%M'; }

huong=$(token_serial "Nguyen Thi Huong")
office=$(token_serial "Van phong UBND")

# ----- the registry: Hường signs in as nobody (as_official); the history
# names her, the person the login belongs to, and --json keeps the login
khoa org create --name "Sở Thông tin và Truyền thông" >/dev/null
khoa org create --name "Văn phòng UBND tỉnh Thái Bình" --parent 1 >/dev/null
khoa person create --name "Nguyễn Thị Hường" --id-number 034186000123 --org 2 \
	--position "Chuyên viên" >/dev/null
khoa person create --name "Trần Văn Đức" --id-number 034186000124 --org 2 >/dev/null
khoa person update 1 --login nobody >/dev/null
khoa register "$huong" --holder 1 >/dev/null
khoa register "$office" --org 2 >/dev/null

# khoa watch, as a clerk leaves it running: every event, one line each
"$KHOA" --socket "$SOCK" watch --since 0 >"$TMP/watch" 2>"$TMP/watch.err" &
watcher=$!

# ----- a handover: Sở TT&TT gives both tokens to the Văn phòng
khoa handover new --from org:1 --to org:2 --reason new-issue --place "Thái Bình" \
	--serial "$huong" --serial "$office" >/dev/null
hid=$(khoa --json handover list | jq -r '.handovers[0].id')
check_status "the handover is finalized" 0 khoa handover finalize "$hid"

# ----- the seal register: the organization token out to Đức and back
check_status "seal out" 0 khoa seal out "$office" --to 2 --purpose "Ký công văn 123/VP" --hours 2
khoa --json seal log "$office" >"$TMP/seal.json"
out_at=$(shown "$(jq -r '.entries[0].out_at' "$TMP/seal.json")")
due_at=$(shown "$(jq -r '.entries[0].due_at' "$TMP/seal.json")")
check_status "seal in" 0 khoa seal in "$office" --note "Đã ký xong"
in_at=$(shown "$(khoa --json seal log "$office" | jq -r '.entries[0].in_at')")

# ----- a wrong PIN, typed by Hường herself
check_status "Hường types a wrong PIN" 1 khoa_as official pin change "$huong" --pin-fd 3 \
	3< <(printf 'Sai-9173\nMoi-2468\n')
check_contains "  refused" "wrong PIN" "$(err)"

# ----- a PIN recovery (Mẫu 09): four people, four steps, the reset
check_status "Hường files a PIN-recovery request" 0 khoa_as official pin-request new "$huong" \
	--reason "Quên mật khẩu" --sex Nữ --no-input
rid=$(khoa --json pin-request list | jq -r '.requests[0].id')
check_status "the clerk confirms it" 0 khoa_as clerk pin-request confirm "$rid" \
	--note "Đúng người, đúng thiết bị"
check_status "a technician receives it" 0 khoa_as technician pin-request submit "$rid"
check_status "an admin forwards it" 0 khoa_as admin pin-request forward "$rid"
reset() {
	khoa_as technician pin-request complete "$rid" --pin-fd 3 3< <(printf '12345678\nMoi-5678\n')
}
check_status "the technician resets the PIN with the SO PIN" 0 reset

# ----- khoa history: a sentence each, in Vietnamese
LANGUAGE=vi check_status "history of Hường's token, in Vietnamese" 0 khoa history "$huong"
hist=$(tr -s ' ' <"$TMP/out")
check_contains "  the handover: who, which token, its parties, its number" \
	"root chuyển giao thiết bị $huong từ Sở Thông tin và Truyền thông cho Văn phòng UBND tỉnh Thái Bình theo biên bản giao nhận số $hid (cấp mới)." \
	"$hist"
check_contains "  the wrong PIN, by the user who typed it" \
	"Nguyễn Thị Hường nhập sai PIN người dùng của thiết bị $huong (tiến trình" "$hist"
check_contains "  the PIN state it left, by the same user" \
	"Sau lần nhập PIN của Nguyễn Thị Hường, trạng thái PIN của thiết bị $huong đổi: bình thường → sắp hết lượt thử." \
	"$hist"
check_contains "  the request filed: its number, the form, the reason" \
	"Nguyễn Thị Hường lập yêu cầu khôi phục PIN số $rid (Mẫu 09) cho thiết bị $huong, lý do: Quên mật khẩu." \
	"$hist"
check_contains "  its steps, each by whom" \
	"lp xác nhận thay mặt cơ quan yêu cầu khôi phục PIN số $rid của thiết bị $huong: Đúng người, đúng thiết bị." \
	"$hist"
check_contains "  received at Sở TT&TT" \
	"news tiếp nhận tại Sở TT&TT yêu cầu khôi phục PIN số $rid của thiết bị $huong." "$hist"
check_contains "  forwarded to the CA" \
	"uucp chuyển yêu cầu khôi phục PIN số $rid của thiết bị $huong đến Ban Cơ yếu." "$hist"
check_contains "  the reset that completed it" \
	"news đặt lại PIN của thiết bị $huong bằng PIN quản trị (SO PIN): yêu cầu khôi phục PIN số $rid đã hoàn tất." \
	"$hist"
check_contains "  each line with its time, dd/mm/yyyy hh:mm" "$(date -u +%d/%m/%Y) " "$hist"
check_eq "  nothing as raw JSON" "" "$(grep -F '{' "$TMP/out" || true)"
check_eq "  no PIN tried by khoad" "" "$(grep -E 'khoad (nhập|entered)|của khoad' "$TMP/out" || true)"

LANGUAGE=vi check_status "history of the organization token, in Vietnamese" 0 khoa history "$office"
hist=$(tr -s ' ' <"$TMP/out")
check_contains "  checked out: to whom, for what, due when" \
	"root giao thiết bị $office cho Trần Văn Đức để “Ký công văn 123/VP”, hạn trả $due_at." \
	"$hist"
check_contains "  checked back in: from whom, since when, the note" \
	"root nhận lại thiết bị $office từ Trần Văn Đức, đã giao từ $out_at: Đã ký xong." "$hist"
check_eq "  nothing as raw JSON" "" "$(grep -F '{' "$TMP/out" || true)"

check_status "history in English" 0 khoa history "$huong"
check_contains "  the wrong PIN, by the user who typed it" \
	"Nguyễn Thị Hường entered a wrong user PIN on token $huong (process" "$(out)"
check_contains "  the PIN state it left" \
	"After a PIN try by Nguyễn Thị Hường, the PIN state of token $huong changed: ok → tries low." "$(out)"

# --json: the events as khoad sends them (io.khoa.Tokens.History), untouched
khoa --json history "$huong" >"$TMP/history.json"
call io.khoa.Tokens.History "{\"serial\":\"$huong\"}" >"$TMP/wire.json"
check_eq "history --json is the answer as khoad sends it" "$(jq -S . "$TMP/wire.json")" \
	"$(jq -S . "$TMP/history.json")"
check_eq "  the wrong PIN and the state it left are nobody's" \
	"pin.tried nobody wrong|token.pin_changed nobody true" \
	"$(jq -r '[.events[] | select(.type == "pin.tried" and .details.pin == "user" or .type == "token.pin_changed")][0:2]
		| map("\(.type) \(.actor.user) \(.details.result // .details.flags.user_pin_count_low)") | join("|")' \
		"$TMP/history.json")"
check_eq "  and name the person that login belongs to" "Nguyễn Thị Hường" \
	"$(jq -r '[.events[] | select(.type == "pin.tried")][0].actor.name' "$TMP/history.json")"
check_eq "  the handover's events name its parties" \
	"Sở Thông tin và Truyền thông>Văn phòng UBND tỉnh Thái Bình" \
	"$(call io.khoa.Events.Watch '{"since":0}' --until handover.finalized |
		jq -r 'select(.event.type == "handover.finalized") | "\(.event.details.from)>\(.event.details.to)"')"

# ----- khoa watch said them as they happened
wait_for_line "$TMP/watch" "PIN-recovery request no. $rid is completed" || true
check_contains "khoa watch: the seal going out, in a sentence with its time" \
	"$out_at  root checked token $office out to Trần Văn Đức for “Ký công văn 123/VP”, due back $due_at." \
	"$(cat "$TMP/watch")"
check_contains "khoa watch: the reset" \
	"news reset the PIN of token $huong with the SO PIN: PIN-recovery request no. $rid is completed." \
	"$(cat "$TMP/watch")"
check_eq "khoa watch: every line a time and a sentence, none JSON" "" \
	"$(grep -v -E '^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}  [^{]*$' "$TMP/watch" || true)"
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true

# ----- on paper: always in Vietnamese, in the forms' layout
(cd "$TMP" && "$KHOA" --socket "$SOCK" print history "$huong" --place "Thái Bình" >"$TMP/out" 2>"$TMP/err") &&
	ok "print history: PDF" || not_ok "print history: PDF"
check_contains "  written as history-SERIAL.pdf" "history-$huong.pdf" "$(out)"
paper=$(flat "$TMP/history-$huong.pdf")
check_contains "  the national heading" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" \
	"$paper"
check_contains "  headed by the holder's agency" "VĂN PHÒNG UBND TỈNH THÁI BÌNH" "$paper"
check_contains "  its title" "LỊCH SỬ THIẾT BỊ LƯU KHÓA BÍ MẬT" "$paper"
check_contains "  the token and its holder" "Số hiệu thiết bị lưu khóa bí mật: $huong" "$paper"
check_contains "  the date line" "Thái Bình, ngày $(date +%d) tháng" "$paper"
check_contains "  the sentences of khoa history, in Vietnamese though khoa speaks English" \
	"Nguyễn Thị Hường nhập sai PIN người dùng của thiết bị $huong" "$paper"
check_contains "  the handover's row" \
	"chuyển giao thiết bị $huong từ Sở Thông tin và Truyền thông cho Văn phòng UBND tỉnh Thái Bình theo biên bản giao nhận số $hid (cấp mới)" \
	"$paper"
check_contains "  the reset's row" "yêu cầu khôi phục PIN số $rid đã hoàn tất" "$paper"
check_contains "  the signatures" "NGƯỜI LẬP" "$paper"
check_status "print history --format text" 0 khoa print history "$huong" --format text
check_contains "  a numbered row each" \
	"| Nguyễn Thị Hường lập yêu cầu khôi phục PIN số $rid (Mẫu 09) cho thiết bị $huong, lý do: Quên mật khẩu." \
	"$(out)"

check_status "print custody" 0 khoa print custody "$huong" --output "$TMP/custody.pdf"
paper=$(flat "$TMP/custody.pdf")
check_contains "  its title" "QUÁ TRÌNH GIAO NHẬN, QUẢN LÝ THIẾT BỊ LƯU KHÓA BÍ MẬT" "$paper"
check_contains "  who holds it" "Đơn vị, cá nhân đang quản lý: Văn phòng UBND tỉnh Thái Bình" "$paper"
for cell in "$(date -u +%d/%m/%Y) " "Sở Thông tin và Truyền thông" "Văn phòng UBND tỉnh" "Cấp mới" \
	"Biên bản giao nhận số $hid"; do
	check_contains "  the handover's row has $cell" "$cell" "$paper"
done
check_status "print custody --format text" 0 khoa print custody "$huong" --format text
check_contains "  the row" "| Sở Thông tin và Truyền thông | Văn phòng UBND tỉnh Thái Bình | Cấp mới | $hid" \
	"$(out)"

today=$(date +%d/%m/%Y)
check_status "print seal-register --from --to" 0 khoa print seal-register --from "$today" \
	--to "$today" --output "$TMP/seal.pdf"
check_contains "  landscape" "841.89 x 595.276" "$(pdfinfo "$TMP/seal.pdf")"
paper=$(flat "$TMP/seal.pdf")
check_contains "  its title" "SỔ THEO DÕI SỬ DỤNG CHỨNG THƯ SỐ CHUYÊN DÙNG CỦA TỔ CHỨC" "$paper"
check_contains "  the period" "Từ ngày $today đến ngày $today" "$paper"
check_contains "  headed by the agency whose seal it is" "VĂN PHÒNG UBND TỈNH THÁI BÌNH" "$paper"
for cell in "$office" "Trần Văn Đức" "Ký công văn 123/VP" "$out_at" "$due_at" "$in_at" \
	"root / root" "Đã ký xong"; do
	check_contains "  the row has $cell" "$cell" "$paper"
done
check_status "print seal-register --format text" 0 khoa print seal-register --format text
check_contains "  the row, in the register's order" \
	"1 | $office | $out_at | Trần Văn Đức | Ký công văn 123/VP | $due_at | $in_at | root / root | Đã ký xong" \
	"$(out)"
check_status "print seal-register of a period without a use" 0 khoa print seal-register \
	--from "$(date -d tomorrow +%d/%m/%Y)" --format text
check_contains "  says so" "Không có lượt giao, nhận nào trong thời gian này." "$(out)"
check_eq "  and lists none" "" "$(grep -F "$office" "$TMP/out" || true)"
check_status "print seal-register --json: the entries as khoad sends them" 0 \
	khoa --json print seal-register --from "$today"
check_eq "  one, with its purpose" "1 Ký công văn 123/VP" \
	"$(jq -r '"\(.entries | length) \(.entries[0].purpose)"' "$TMP/out")"
check_status "print seal-register --from a date that is none" 64 khoa print seal-register \
	--from 31/02/2026
check_contains "  says so" "--from takes a date (dd/mm/yyyy), not '31/02/2026'" "$(err)"
check_status "print seal-register --from after --to" 64 khoa print seal-register \
	--from 02/12/2026 --to 01/12/2026
for what in history custody; do
	check_status "print $what of a token no workstation has seen" 1 \
		khoa print "$what" 0000000000000000 --output "$TMP/none.pdf"
	check_contains "  says so" "the registry knows no token with serial 0000000000000000" "$(err)"
	check_eq "  and writes no file" "no" "$([ -e "$TMP/none.pdf" ] && echo yes || echo no)"
done

done_testing
