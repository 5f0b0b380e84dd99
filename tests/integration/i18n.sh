#!/usr/bin/env bash
# khoa speaks Vietnamese to Vietnamese users, English otherwise.
. "$(dirname "$0")/lib.sh"

make_tokens
start_khoad

vi() { LANGUAGE=vi "$@"; }

out=$(khoa tokens)
check_contains "English headings by default" "HOLDER" "$out"
check_contains "English validity by default" "expired" "$out"

out=$(vi khoa tokens)
check_contains "Vietnamese headings" "NGƯỜI SỬ DỤNG" "$out"
check_contains "Vietnamese: expired certificate" "hết hạn" "$(grep 'Le Quang Vy' <<<"$out")"
check_contains "Vietnamese: valid certificate" "còn hiệu lực" "$(grep 'Tran Van Duc' <<<"$out")"
check_contains "Vietnamese: blank token" "(không có chứng thư số)" "$(grep 'Blank token' <<<"$out")"
check_contains "Vietnamese: PIN state" "bình thường" "$out"

vi check_status "Vietnamese error" 1 khoa token 0000000000000000
check_eq "Vietnamese error text" "khoa: không có thiết bị nào mang số sê-ri 0000000000000000 đang cắm" "$(cat "$TMP/err")"
vi check_status "Vietnamese hint when khoad is unreachable" 2 "$KHOA" --socket "$TMP/none.sock" status
check_contains "Vietnamese hint text" "khoad có đang chạy không?" "$(cat "$TMP/err")"
check_contains "Vietnamese help" "Cách dùng: khoa" "$(vi khoa --help)"
# A command's help is made from its rows, each translated.
help=$(vi khoa org --help)
check_contains "Vietnamese help of a command: its subcommands" \
	"create --name TÊN [TÙY-CHỌN]" "$help"
check_contains "  the options grouped" "Tùy chọn của create và update:" "$help"
check_contains "  with their help" "--parent MÃ tổ chức cấp trên quản lý tổ chức này (0: không có)" \
	"$(tr -s ' ' <<<"$help")"
check_contains "Vietnamese daemon help" "Theo dõi các thiết bị ký số" "$(vi "$KHOAD" --help)"

# On a machine without any locale, asking for the language is enough.
check_contains "LANGUAGE=vi with no locale at all" "Cách dùng: khoa" \
	"$(env -u LC_ALL -u LANG LANGUAGE=vi "$KHOA" --help)"

# LANG=vi_VN.UTF-8 where that locale was never generated (a fresh Debian 12
# has only C.UTF-8): still Vietnamese.
if ! locale -a 2>/dev/null | grep -qi '^vi_VN'; then
	check_contains "LANG=vi_VN.UTF-8, the locale not generated" "Cách dùng: khoa" \
		"$(env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=vi_VN.UTF-8 "$KHOA" --help)"
	check_contains "  an error too" "không có thiết bị nào mang số sê-ri" \
		"$(env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=vi_VN.UTF-8 "$KHOA" --socket "$SOCK" \
			token 0000000000000000 2>&1)"
fi
check_contains "LANG=en_US.UTF-8 stays English" "Usage: khoa" \
	"$(env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=en_US.UTF-8 "$KHOA" --help)"

# The data itself never changes with the language.
check_eq "JSON is the same in both languages" "$(khoa --json certs)" "$(vi khoa --json certs)"

done_testing
