#!/usr/bin/env bash
# Tables that fit the screen (issue 17, item 5): the real khoa's lists, of a
# registry with long Vietnamese names of people and agencies, at 80 and 120
# columns, in English and in Vietnamese, fitted with --width, with COLUMNS
# and on a terminal (a pty): no line wider than the screen, every serial on
# one line whole, every name whole once the lines of its column are joined
# (wrapped between words, never cut), the headings there. Into a pipe
# without a width, a table keeps every column on one line, as scripts read
# it.
. "$(dirname "$0")/lib.sh"

make_tokens
start_khoad

out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }

huong=$(token_serial "Nguyen Thi Huong")
duc=$(token_serial "Tran Van Duc")
office=$(token_serial "Van phong UBND")
vy=$(token_serial "Le Quang Vy")
blank=$(token_serial "Blank token")
tokens=("$huong" "$duc" "$office" "$vy" "$blank")
mapfile -t certs < <(cut -f4 "$TMP/fx/manifest.tsv" | grep .)

# ----- a registry with long names
lan="Nguyễn Thị Phương Thảo Hoàng Lan"
assembly="Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Thái Bình"
office_name="Văn phòng UBND tỉnh Thái Bình"
khoa org create --name "UBND tỉnh Thái Bình" >/dev/null
khoa org create --name "Sở Tài chính" --parent 1 --email vanthu@stc.thaibinh.gov.vn >/dev/null
khoa org create --name "$assembly" --parent 1 --tax-code 0100109106 >/dev/null
khoa org create --name "$office_name" --parent 1 >/dev/null
khoa org create --name "Sở Thông tin và Truyền thông" --parent 1 >/dev/null
khoa person create --name "$lan" --id-number 034186000123 --org 3 --position "Chánh Văn phòng" \
	--birth-date 12/03/1986 >/dev/null
khoa person create --name "Trần Văn Đức" --id-number 034186000124 --org 2 >/dev/null
khoa person create --name "Phạm Đức Thắng" --id-number 034186000125 --org 2 >/dev/null
khoa person create --name "Đặng Thị Minh Nguyệt" --id-number 034186000126 --org 4 >/dev/null
khoa register "$huong" --holder 1 >/dev/null
khoa register "$duc" --holder 2 >/dev/null
khoa register "$vy" --holder 3 >/dev/null
khoa register "$office" --org 4 >/dev/null
khoa handover new --from org:5 --to person:1 --reason new-issue --place "Thái Bình" \
	--serial "$huong" --serial "$duc" >/dev/null
khoa handover finalize 1 >/dev/null
purpose="Ký công văn số 123/UBND-VP gửi Bộ Tài chính về việc quyết toán ngân sách năm 2026"
khoa seal out "$office" --to 4 --purpose "$purpose" --hours 2 >/dev/null
khoa request new renew "$huong" --years 2 >/dev/null

# check_table NAME WIDTH HEADING [--whole S | --name N | --heading H | --fields L]...:
# what table-check.py says of $TMP/out.
check_table() {
	local name=$1 width=$2 heading=$3
	shift 3
	check_eq "$name: fits $width columns, serials and names whole" "" \
		"$(python3 "$SOURCE_ROOT/tests/integration/table-check.py" "$width" \
			--heading "$heading" "$@" <"$TMP/out")"
}
wholes() { local s; for s in "$@"; do printf -- '--whole\n%s\n' "$s"; done; }
names() { local s; for s in "$@"; do printf -- '--name\n%s\n' "$s"; done; }

# The lists, each with what it must show whole, fitted both ways a width
# is given.
list() {	# list NAME HEADING ARGS... -- COMMAND...
	local name=$1 heading=$2 w how
	shift 2
	local -a checks=()
	while [ "$1" != -- ]; do checks+=("$1"); shift; done
	shift
	for w in 80 120; do
		for how in width columns; do
			if [ $how = width ]; then
				khoa --width "$w" "$@" >"$TMP/out" 2>"$TMP/err"
			else
				COLUMNS=$w khoa "$@" >"$TMP/out" 2>"$TMP/err"
			fi
			check_table "$name (--$how $w)" "$w" "$heading" "${checks[@]}"
		done
	done
}

mapfile -t w_tokens < <(wholes "${tokens[@]}")
mapfile -t w_certs < <(wholes "$huong" "$duc" "$office" "$vy" "${certs[@]}")
mapfile -t n_people < <(names "$lan" "Trần Văn Đức" "Phạm Đức Thắng" "Đặng Thị Minh Nguyệt")
mapfile -t n_all < <(names "$lan" "Trần Văn Đức" "Phạm Đức Thắng" "$assembly" "$office_name")

list "tokens" TOKEN "${w_tokens[@]}" "${n_all[@]}" -- tokens
list "tokens --all" TOKEN "${w_tokens[@]}" "${n_all[@]}" -- tokens --all
list "certs" TOKEN "${w_certs[@]}" --name "$office_name" --name "Nguyễn Thị Hường" -- certs
list "person list" ID --whole 034186000123 --whole 034186000126 "${n_people[@]}" \
	--name "$assembly" --name "$office_name" -- person list
list "org list" ID --name "$assembly" --name "Sở Thông tin và Truyền thông" \
	--name "UBND tỉnh Thái Bình" --whole 0100109106 -- org list
list "handover list" ID --name "Sở Thông tin và Truyền thông" --name "$lan" -- handover list
list "handover show" NO. --fields Handover: --whole "$huong" --whole "$duc" \
	--name "$lan" --name "$assembly" -- handover show 1
list "seal log" TOKEN --whole "$office" --name "Đặng Thị Minh Nguyệt" --name "$purpose" \
	-- seal log
list "request list" ID --whole "$huong" --name "$lan" -- request list
list "custody" WHEN --name "Sở Thông tin và Truyền thông" --name "$lan" -- custody "$huong"
list "expiring" TOKEN --whole "$huong" --whole "$duc" --whole "$office" --name "$lan" \
	--name "$office_name" -- expiring --days 5000
list "status" MODULE --fields Daemon: --whole libsofthsm2 -- status
list "history" TIME -- history "$huong"
list "audit log" RECORD -- audit log

# In Vietnamese, whose headings are longer.
for w in 80 120; do
	LANGUAGE=vi khoa --width "$w" tokens >"$TMP/out"
	check_table "Vietnamese tokens ($w)" "$w" "THIẾT BỊ" "${w_tokens[@]}" "${n_all[@]}"
	LANGUAGE=vi khoa --width "$w" person list >"$TMP/out"
	check_table "Vietnamese person list ($w)" "$w" MÃ --heading Mã "${n_people[@]}" --name "$assembly"
	LANGUAGE=vi khoa --width "$w" handover show 1 >"$TMP/out"
	check_table "Vietnamese handover show ($w)" "$w" STT --whole "$huong" --name "$lan"
done

# ----- khoa tokens as a person reads it
# The first line of the token with serial $1 in $TMP/out.
row() { grep "^$1" "$TMP/out" || true; }
cert_of() { awk -F'\t' -v t="$1" '$2 == t { print $4; exit }' "$TMP/fx/manifest.tsv"; }
for lang in en vi; do
	LANGUAGE=$lang khoa --width 120 tokens >"$TMP/out"
	for t in "$duc" "$vy"; do
		name=$([ "$t" = "$duc" ] && echo "Trần Văn Đức" || echo "Phạm Đức Thắng")
		check_contains "120 columns ($lang): $name on one line with the token" "$name" "$(row "$t")"
		check_contains "  and with the certificate's serial" "$(cert_of "$t")" "$(row "$t")"
	done
done
khoa --width 80 tokens >"$TMP/out"
check_contains "80 columns: a long name starts on the token's line" "Nguyễn Thị" "$(row "$huong")"
check_eq "  and goes on below, wrapped between words" "" \
	"$(row "$huong" | grep -F "$lan" || true)"

# Into a pipe without a width: every column on one line, as before.
khoa tokens >"$TMP/out"
check_contains "piped: the whole name on the token's line" "$lan" "$(row "$huong")"
check_contains "  the whole agency" "$assembly" "$(row "$huong")"
check_contains "  the label, which a narrow screen leaves out" "Nguyen Thi Huong" "$(row "$huong")"
check_eq "  no line ends in a space" "" "$(grep ' $' "$TMP/out" || true)"

# On a terminal: its width; --width 0 lifts it.
on_tty() {	# on_tty COLUMNS KHOA-ARGS...: khoa on a pty so wide, its output
	local cols=$1
	shift
	script -qc "stty cols $cols rows 50; $(printf '%q ' "$KHOA" --socket "$SOCK" "$@")" \
		/dev/null </dev/null | tr -d '\r'
}
if command -v script >/dev/null; then
	for w in 80 120; do
		on_tty "$w" tokens >"$TMP/out"
		check_table "on a terminal of $w columns" "$w" TOKEN "${w_tokens[@]}" "${n_all[@]}"
	done
	on_tty 80 --width 0 tokens >"$TMP/out"
	check_contains "--width 0 on a terminal: every column on one line" "$assembly" "$(row "$huong")"
else
	ok "# SKIP no script(1) for a pty"
fi

check_status "--width takes a number" 64 khoa --width wide tokens
check_eq "  and says so" "khoa: --width takes a whole number (0, 1, 2…), not 'wide'" "$(err)"

done_testing
