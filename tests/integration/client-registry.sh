#!/usr/bin/env bash
# The registry as a technician uses it, through the real khoa client.
. "$(dirname "$0")/lib.sh"

make_tokens
start_khoad

out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }

check_status "org create" 0 khoa org create --name "UBND tỉnh Thái Bình" --tax-code 0100109106
check_contains "org create shows it" "UBND tỉnh Thái Bình" "$(out)"
check_status "child org create" 0 khoa org create --name "Sở Tài chính" --parent 1 --email VanThu@STC.ThaiBinh.gov.vn
check_contains "e-mail domain lower-cased" "VanThu@stc.thaibinh.gov.vn" "$(out)"
check_status "org list" 0 khoa org list
check_contains "org list names the parent" "UBND tỉnh Thái Bình" "$(grep 'Sở Tài chính' "$TMP/out")"
check_status "org update" 0 khoa org update 2 --address "Số 1, phố Lê Lợi"
check_status "org show" 0 khoa org show 2
check_contains "org show has the address" "Số 1, phố Lê Lợi" "$(out)"
check_status "org show of an unknown id" 1 khoa org show 99
check_contains "says which" "99" "$(err)"

check_status "person create" 0 khoa person create --name "Nguyễn Thị Hường" --id-number 034186000123 \
	--birth-date 12/03/1986 --org 2 --position "Phó Giám đốc" --phone "0912 345 678"
check_contains "person shows the birth date as dd/mm/yyyy" "12/03/1986" "$(out)"
check_status "invalid CCCD" 1 khoa person create --name "Lê Văn A" --id-number 003186000123
check_contains "invalid CCCD: the rule" "province code" "$(err)"
check_status "empty name" 1 khoa person create --name " " --id-number 034186000124
check_status "unknown organization" 1 khoa person create --name "Lê Văn A" --id-number 034186000125 --org 42
check_contains "unknown organization named" "42" "$(err)"
check_status "person create without its required options" 64 khoa person create --name "Lê Văn A"
check_eq "  names the one missing, as its row writes it" \
	"khoa person create: --id-number NUMBER is required" "$(err)"
check_status "person create --help" 0 khoa person create --help
check_contains "  the subcommand's line, from its row" \
	"create --name NAME --id-number NUMBER [OPTIONS]" "$(out)"
check_contains "  the options grouped by the subcommands that take them" \
	"Options of create and update:" "$(out)"
check_contains "  each with its help" "--id-number NUMBER   CMND (9 digits) or CCCD (12 digits) number" \
	"$(out)"
check_contains "  list's --org apart, with its own help" \
	"$(printf 'Options of list:\n  --org ID  only the people of this organization')" "$(out)"
check_status "person list" 0 khoa person list --org 2
check_contains "person list" "Nguyễn Thị Hường" "$(out)"

# What the forms ask of a person, kept once (issue 17): through the client
# and back, normalized; each refused on its own rule.
check_status "person update: sex, birth place, the ID's issue, address, fax" 0 \
	khoa person update 1 --sex Nữ --birth-place "Vũ Thư, Thái Bình" --id-issued-on 10/04/2021 \
	--id-issued-by "Cục Cảnh sát QLHC về TTXH" --address "Thôn Đông, xã Tân Hòa" --fax "(0227) 383 1234" \
	--email Huong@STC.ThaiBinh.gov.vn
check_eq "  kept as sent, codes and ISO dates, the fax in its national form" \
	"female|Vũ Thư, Thái Bình|2021-04-10|Cục Cảnh sát QLHC về TTXH|Thôn Đông, xã Tân Hòa|02273831234|0912345678" \
	"$(khoa --json person show 1 | jq -r '.person | "\(.sex)|\(.birth_place)|\(.id_issued_on)|\(.id_issued_by)|\(.address)|\(.fax)|\(.phone)"')"
check_status "  shown" 0 khoa person show 1
check_eq "  each on its line" "Sex: female|Place of birth: Vũ Thư, Thái Bình|ID issued on: 10/04/2021|ID issued by: Cục Cảnh sát QLHC về TTXH|Address: Thôn Đông, xã Tân Hòa|Fax: 02273831234" \
	"$(grep -E '^(Sex|Place of birth|ID issued on|ID issued by|Address|Fax):' "$TMP/out" | tr -s ' ' | paste -sd '|')"
check_status "  a sex that is no code" 1 khoa person update 1 --sex x
check_contains "  said with its rule" "male or female" "$(err)"
check_status "  an ID issued before its holder was born" 1 khoa person update 1 --id-issued-on 01/01/1980
check_contains "  said" "not before the date of birth" "$(err)"
check_status "  nor a birth date after the ID was issued" 1 khoa person update 1 --birth-date 2022-01-01
check_status "  a fax that is no number" 1 khoa person update 1 --fax 12
check_contains "  said" "fax" "$(err)"
check_eq "  nothing of them kept" "female 2021-04-10 02273831234 1986-03-12" \
	"$(khoa --json person show 1 | jq -r '.person | "\(.sex) \(.id_issued_on) \(.fax) \(.birth_date)"')"
check_status "  an empty value clears one" 0 khoa person update 1 --fax ''
check_eq "  that one only" "false Vũ Thư, Thái Bình" \
	"$(khoa --json person show 1 | jq -r '.person | "\(has("fax")) \(.birth_place)"')"
check_status "person create with them" 0 khoa person create --name "Lê Thị Lan" --id-number 034190000555 \
	--birth-date 1990-05-05 --org 2 --sex nam --birth-place "Kiến Xương" --fax 02273831235
lan=$(khoa --json person list --org 2 | jq -r '.people[] | select(.full_name == "Lê Thị Lan") | .id')
check_eq "  kept" "male Kiến Xương 02273831235" \
	"$(khoa --json person show "$lan" | jq -r '.person | "\(.sex) \(.birth_place) \(.fax)"')"
binh=$(khoa --json person create --name "Phạm Văn Bình" --id-number 034088000556 --org 1 |
	jq -r .person.id)

# An organization's managing body and the manager of its certificate.
check_status "org update --manager --managing-body" 0 khoa org update 2 --manager 1 \
	--managing-body "UBND tỉnh Thái Bình"
check_eq "  shown, the manager with their name" \
	"Managing body: UBND tỉnh Thái Bình|Certificate manager: Nguyễn Thị Hường (ID 1)" \
	"$(grep -E '^(Managing body|Certificate manager):' "$TMP/out" | tr -s ' ' | paste -sd '|')"
check_eq "  on the wire" "UBND tỉnh Thái Bình 1 Nguyễn Thị Hường" \
	"$(khoa --json org show 2 | jq -r '.organization | "\(.managing_body) \(.manager_id) \(.manager_name)"')"
check_status "  a manager of the organization above it" 1 khoa org update 2 --manager "$binh"
check_contains "  refused, saying why" "khoa: invalid manager of the certificate: manager: a person of this organization or of a unit of it" "$(err)"
check_status "  a person of a unit may manage its parent's" 0 khoa org update 1 --manager "$lan"
check_status "  an unknown person" 1 khoa org update 1 --manager 99
check_contains "  named" "99" "$(err)"
check_status "  --manager 0 removes it" 0 khoa org update 1 --manager 0
check_eq "  that one only" "false|1 UBND tỉnh Thái Bình" \
	"$(khoa --json org show 1 | jq -r '.organization | has("manager_id")')|$(khoa --json org show 2 |
		jq -r '.organization | "\(.manager_id) \(.managing_body)"')"

# Register: with several tokens unregistered, khoa asks which.
check_status "register without a serial among several" 64 khoa register --holder 1
huong=$(token_serial "Nguyen Thi Huong")
check_contains "it lists the candidates" "$huong" "$(err)"
check_status "register" 0 khoa register "$huong" --holder 1
check_contains "register says to whom" "Nguyễn Thị Hường" "$(out)"
check_status "register twice" 1 khoa register "$huong" --holder 1
check_contains "register twice: why" "registered already" "$(err)"
khoa --json tokens --all >"$TMP/out"
check_eq "tokens --all: the registered token, seen on this workstation now" \
	"$huong $(hostname) true" \
	"$(jq -r '.tokens[] | "\(.serial) \(.workstation) \(.present)"' "$TMP/out")"
check_status "tokens --all as a table" 0 khoa tokens --all
check_contains "  says where it was last seen" "$huong" \
	"$(sed -n '/Registered tokens in the registry/,$p' "$TMP/out")"
check_contains "  on this desk now" "plugged in now" "$(cat "$TMP/out")"
row=$(khoa tokens | grep "^$huong")
check_contains "tokens: registered to" "Nguyễn Thị Hường" "$row"
check_contains "tokens: agency" "Sở Tài chính" "$row"

# A replaced certificate shows as a mismatch until confirmed.
openssl x509 -in "$(ls "$TMP"/fx/certs/Tran*-01.pem | head -n1)" -outform DER -out "$TMP/other.der"
p11 --token-label "Nguyen Thi Huong" --login --pin 1234 --delete-object --type cert --id 01 >/dev/null
p11 --token-label "Nguyen Thi Huong" --login --pin 1234 --write-object "$TMP/other.der" --type cert --id 01 >/dev/null
khoa rescan >/dev/null
check_contains "tokens: mismatch flagged" "MISMATCH" "$(khoa tokens | grep "^$huong")"
check_status "history" 0 khoa history "$huong"
check_contains "history: the mismatch" \
	"Token $huong carries other certificates than the registered ones" "$(out)"
check_contains "history: who registered" "$(id -un) registered token $huong to Nguyễn Thị Hường" \
	"$(out)"
check_status "history of a token no workstation has seen" 1 khoa history 0000000000000000
check_eq "  said in khoa's words" \
	"khoa: the registry knows no token with serial 0000000000000000: no workstation has seen it" \
	"$(err)"
check_status "confirm" 0 khoa confirm "$huong"
check_status "confirm again" 1 khoa confirm "$huong"
check_eq "no mismatch after confirming" "" "$(khoa tokens | grep "^$huong" | grep MISMATCH || true)"

# watch --json: one event per line, from the start with --since 0.
"$KHOA" --socket "$SOCK" --json watch --since 0 >"$TMP/watch" 2>&1 &
watcher=$!
wait_for_line "$TMP/watch" '"token.binding_confirmed"' && ok "watch --json: the events up to the last" ||
	not_ok "watch --json: the events up to the last"
kill -TERM "$watcher"	# (background jobs of a script ignore SIGINT)
wait "$watcher" && ok "watch ends cleanly when stopped" || not_ok "watch ends cleanly when stopped"
check_eq "watch --json: every line is an event" "$(wc -l <"$TMP/watch")" \
	"$(jq -r .type "$TMP/watch" | grep -c '\.')"

# An event of a type this khoa does not know (from a newer khoad), put in
# the registry as khoad keeps events: history says its type, who, which
# token, and its details as "key: value", not as JSON.
registry_sql "INSERT INTO events
	(time, type, token_serial, actor_uid, actor_user, details) VALUES
	('2026-11-24T20:28:31Z', 'token.polished', '$huong', 0, 'root',
	 '{\"by\":\"văn thư\",\"layers\":3,\"serials\":[\"A1\",\"B2\"],\"done\":true}')"
check_status "history with an event of a type khoa does not know" 0 khoa history "$huong"
check_contains "  its type, who, which token" \
	"root: an event this khoa does not know, token.polished, token $huong" \
	"$(grep polished "$TMP/out")"
check_contains "  its details, key: value" "by: văn thư, layers: 3, serials: [A1, B2], done: true" \
	"$(grep polished "$TMP/out")"
check_eq "  no event as raw JSON" "" "$(grep -F '{"' "$TMP/out" || true)"

# Tokens.Registered a page at a time (issue 15), by agency, holder and
# serial, the same on every engine: a holder of no agency first, then an
# agency's own token before its people's.
duc=$(token_serial "Tran Van Duc")
vy=$(token_serial "Le Quang Vy")
office=$(token_serial "Van phong UBND")
duc_id=$(khoa --json person create --name "Trần Văn Đức" --id-number 034087000127 --org 1 |
	jq -r .person.id)
vy_id=$(khoa --json person create --name "Lê Quang Vỹ" --id-number 034089000128 |
	jq -r .person.id)
khoa register "$duc" --holder "$duc_id" >/dev/null
khoa register "$vy" --holder "$vy_id" >/dev/null
khoa register "$office" --org 2 >/dev/null
check_eq "Tokens.Registered a page at a time" "$vy $office $huong $duc |4" \
	"$(page_through call io.khoa.Tokens.Registered '{}' '.tokens[].serial')"
page_refusals "Tokens.Registered" call io.khoa.Tokens.Registered
check_eq "tokens --all --json: the same, in one list" "$vy $office $huong $duc" \
	"$(khoa --json tokens --all | jq -r '[.tokens[].serial] | join(" ")')"

check_status "unregister" 0 khoa unregister "$huong" --reason "nghỉ hưu"
check_status "unregister again" 1 khoa unregister "$huong"
LANGUAGE=vi check_status "Vietnamese: not registered" 1 khoa unregister "$huong"
check_contains "Vietnamese message" "chưa được đăng ký" "$(err)"

done_testing
