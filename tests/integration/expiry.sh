#!/usr/bin/env bash
# Certificate expiry (R-RENEW-60D, Điều 5.1): the warnings khoad raises at
# start for the fixture's certificates and for two more made here (89 and
# 100 days left), none repeated by a restart, the list `khoa expiring`
# shows, and thresholds changed with --expiry-warn.
. "$(dirname "$0")/lib.sh"


make_tokens

# cert_token LABEL DAYS: a new SoftHSM2 token carrying a certificate (no
# key: only its expiry matters here) that expires DAYS days from now.
cert_token() {
	softhsm2-util --init-token --free --label "$1" --so-pin 12345678 --pin 1234 >/dev/null
	issue_cert "$TMP/cert-$2" "$1" '1 year ago' "$2 days" >"$TMP/serial-$2"
	put_cert "$1" "$TMP/cert-$2" 01
	cat "$TMP/serial-$2"
}
c89=$(cert_token "Expiry 89" 89)
c100=$(cert_token "Expiry 100" 100)

# The fixture's certificates, from its manifest.
manifest_serial() { awk -F'\t' -v l="$1" -v id="$2" '$1 == l && $3 == id { print $4 }' "$TMP/fx/manifest.tsv"; }
c30=$(manifest_serial "Van phong UBND" 01)
cexp=$(manifest_serial "Le Quang Vy" 01)
# Whole UTC days from today to a certificate's notAfter, as khoad counts
# them (computed, not assumed: a test run across midnight UTC moves them).
days_left() {
	local end
	end=$(openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//')
	echo $(( ($(date -u -d "$(date -u -d "$end" +%F)" +%s) - $(date -u -d "$(date -u +%F)" +%s)) / 86400 ))
}
d30=$(days_left "$TMP"/fx/certs/Van_phong_UBND-01.pem)
dexp=$(days_left "$TMP"/fx/certs/Le_Quang_Vy-01.pem)
d89=$(days_left "$TMP/cert-89.pem")
d100=$(days_left "$TMP/cert-100.pem")
echo "# days left: $dexp $d30 $d89 $d100"
org=$(token_serial "Van phong UBND")
vy=$(token_serial "Le Quang Vy")
t89=$(token_serial "Expiry 89")
t100=$(token_serial "Expiry 100")

start_khoad
# A snapshot call: it answers after the first scan, and the check that
# follows it, are done.
call io.khoa.Expiry.Expiring >/dev/null

# expiry_events: every certificate.* event, one compact line each, by id.
expiry_events() {
	call io.khoa.Tokens.History "{\"serial\":\"$1\"}" |
		jq -c '.events[] | select(.type | startswith("certificate.")) |
			[.type, .details.serial, .details.threshold, .details.renewal_possible, .details.rule]'
}

events=$(expiry_events "$vy")
check_eq "expired: certificate.expired, once" "[\"certificate.expired\",\"$cexp\",null,null,null]" "$events"
events=$(expiry_events "$org")
check_eq "30 days left: certificate.expiring at 60, renewal refused by R-RENEW-60D" \
	"[\"certificate.expiring\",\"$c30\",60,false,\"R-RENEW-60D\"]" "$events"
call io.khoa.Tokens.History "{\"serial\":\"$org\"}" >"$TMP/out"
check_contains "the reason states the fact" "R-RENEW-60D: $d30 days of validity remain" \
	"$(j '.events[] | select(.type == "certificate.expiring") | .details.reason')"
check_eq "the event names the token" "$org" \
	"$(j '.events[] | select(.type == "certificate.expiring") | .token_serial')"
check_eq "89 days left: warned at 90, renewal still possible" \
	"[\"certificate.expiring\",\"$c89\",90,true,null]" "$(expiry_events "$t89")"
check_eq "100 days left: warned at 120" \
	"[\"certificate.expiring\",\"$c100\",120,true,null]" "$(expiry_events "$t100")"
# Every token's history, read to its end (a certificate event always names
# its token): the four above and no more.
all=0
for t in $(call io.khoa.Tokens.List | jq -r '.tokens[].serial'); do
	all=$((all + $(expiry_events "$t" | wc -l)))
done
check_eq "no warning for certificates far from expiry" 4 "$all"

# A restart raises nothing again.
stop_khoad
start_khoad
call io.khoa.Expiry.Expiring >/dev/null
call io.khoa.Tokens.Rescan >/dev/null
all=""
for t in "$vy" "$org" "$t89" "$t100"; do
	all+="$(expiry_events "$t" | wc -l) "
done
check_eq "a restart does not repeat the warnings" "1 1 1 1 " "$all"

# The list, soonest first, with the rule forbidding renewal.
call io.khoa.Expiry.Expiring '{"days":400}' >"$TMP/out"
check_eq "expiring within 400 days, soonest first" "$cexp $c30 $c89 $c100" \
	"$(j '[.certificates[].serial] | join(" ")')"
check_eq "days left" "$dexp $d30 $d89 $d100" "$(j '[.certificates[].days_left] | join(" ")')"
check_eq "renewal refused by R-RENEW-60D for the first two" "R-RENEW-60D R-RENEW-60D - -" \
	"$(j '[.certificates[] | .rule // "-"] | join(" ")')"
call io.khoa.Expiry.Expiring >"$TMP/out"
check_eq "by default: within the largest threshold, 120 days" 4 "$(j '.certificates | length')"
call io.khoa.Expiry.Expiring '{"days":60}' >"$TMP/out"
check_eq "within 60 days" "$cexp $c30" "$(j '[.certificates[].serial] | join(" ")')"
call io.khoa.Expiry.Expiring '{"days":-1}' >"$TMP/out" || true
check_eq "negative days refused" "io.khoa.InvalidField days" "$(j '.error + " " + .parameters.field')"

# A page at a time (issue 15): one certificate a page, each page's next
# the cursor of the one after; the pages together are the list.
paged="" after=""
for page in 1 2 3 4 5; do
	call io.khoa.Expiry.Expiring "$(jq -cn --arg a "$after" \
		'{days: 400, limit: 1} + if $a == "" then {} else {after: $a} end')" >"$TMP/out"
	paged+="$(j '[.certificates[].serial] | join(" ")') "
	after=$(j '.next // empty')
	[ -n "$after" ] || break
done
check_eq "pages of one: the list in four pages, the last without next" "$cexp $c30 $c89 $c100 |4" \
	"$paged|$page"
call io.khoa.Expiry.Expiring '{"limit":0}' >"$TMP/out" || true
check_eq "a page of none refused" "io.khoa.InvalidField limit" "$(j '.error + " " + .parameters.field')"
call io.khoa.Expiry.Expiring '{"limit":1001}' >"$TMP/out" || true
check_eq "a page over 1000 refused" "io.khoa.InvalidField limit" "$(j '.error + " " + .parameters.field')"
call io.khoa.Expiry.Expiring '{"after":"2020-01-01T00:00:00Z,01"}' >"$TMP/out" || true
check_eq "a cursor not of a page refused" "io.khoa.InvalidField after" "$(j '.error + " " + .parameters.field')"

# khoa expiring: the table and the reasons.
out=$(khoa expiring --days 400)
check_eq "khoa expiring: a row per certificate" 5 "$(sed -n '1,/^$/p' <<<"$out" | grep -c .)"
check_contains "khoa expiring: header" "TOKEN" "$(head -n1 <<<"$out")"
check_contains "khoa expiring: the expired one first" "$cexp" "$(sed -n 2p <<<"$out")"
check_contains "khoa expiring: its date dd/mm/yyyy" "$(date -u -d "$(openssl x509 -in "$TMP"/fx/certs/Le_Quang_Vy-01.pem -noout -enddate | sed 's/^notAfter=//')" +%d/%m/%Y)" \
	"$(sed -n 2p <<<"$out")"
check_contains "khoa expiring: renewal refused, with the rule" "no: R-RENEW-60D" \
	"$(sed -n 3p <<<"$out")"
check_contains "khoa expiring: renewal possible at 89 days" "possible" "$(sed -n 4p <<<"$out")"
check_contains "khoa expiring: the reason in words" \
	"$c30: only $d30 days of validity remain, too few to ask for renewal (R-RENEW-60D" "$out"
out=$(LANGUAGE=vi khoa expiring --days 400)
check_contains "khoa expiring in Vietnamese" "không: R-RENEW-60D" "$out"
check_status "khoa expiring --days x refused" 64 "$KHOA" --socket "$SOCK" expiring --days x
khoa --json expiring --days 60 >"$TMP/out"
check_eq "khoa --json expiring" "$cexp $c30" "$(j '[.certificates[].serial] | join(" ")')"
out=$(khoa history "$org")
check_contains "khoa history: the warning in words" \
	"Certificate $c30 on token $org expires in $d30 days, on" "$out"
check_contains "khoa history: renewal refused" "it can no longer be renewed (R-RENEW-60D)" "$out"

# khoa tray: the user of a token hears of its certificates near expiry.
"$KHOA" --socket "$SOCK" tray --no-notify --serial "$org" --serial "$t89" >"$TMP/tray" 2>"$TMP/tray.err" &
tray=$!
# It tells of the certificates near expiry before it says it is watching.
wait_for_line "$TMP/tray.err" Watching
kill "$tray"; wait "$tray" || true
check_contains "khoa tray: renewal no longer possible, with the rule" \
	"Certificate $c30 on token $org (Van phong UBND) expires on $(date -d "$(openssl x509 -in "$TMP"/fx/certs/Van_phong_UBND-01.pem -noout -enddate | sed "s/^notAfter=//")" +%d/%m/%Y), in $d30 days" "$(cat "$TMP/tray")"
check_contains "khoa tray: ... and names the rule" "can no longer be renewed (R-RENEW-60D)" \
	"$(grep -a "$c30" "$TMP/tray")"
check_contains "khoa tray: still renewable, and how" "Ask for its renewal while at least 60 days remain: khoa request new renew $t89" \
	"$(grep -a "$c89" "$TMP/tray")"
check_eq "khoa tray: nothing of the tokens not watched, nor of the far certificate" "" \
	"$(grep -a -e "$vy" -e "$t100" "$TMP/tray" || true)"

# Other thresholds: 100 and 45. The 30-day certificate, warned at 60, is
# warned again at 45; the 89-day one, warned at 90 already, not at 100.
stop_khoad
start_khoad --expiry-warn 100,45
call io.khoa.Expiry.Expiring >"$TMP/out"
check_eq "default list: within the largest threshold, 100 days" 4 "$(j '.certificates | length')"
check_eq "a new smaller threshold fires" \
	"$(printf '["certificate.expiring","%s",60,false,"R-RENEW-60D"]\n["certificate.expiring","%s",45,false,"R-RENEW-60D"]' "$c30" "$c30")" \
	"$(expiry_events "$org")"
check_eq "a larger threshold after a smaller one does not" 1 "$(expiry_events "$t89" | wc -l)"

# A registry that has raised nothing yet, warned at 100 and 50 by the rules
# profile of the configuration: the 89-day certificate is warned at 100,
# not at 90.
stop_khoad
fresh_registry
printf '[rules]\nname = Test: warned at 100 and 50\nwarn-days = 100 50\n' >"$TMP/khoad.conf"
start_khoad
check_contains "khoad names the rules profile it follows" "rules: Test: warned at 100 and 50" \
	"$(cat "$TMP/khoad.log")"
call io.khoa.Expiry.Expiring >/dev/null
check_eq "warn-days: the 89-day certificate at 100" \
	"[\"certificate.expiring\",\"$c89\",100,true,null]" "$(expiry_events "$t89")"
check_eq "warn-days: the 30-day one at 50" \
	"[\"certificate.expiring\",\"$c30\",50,false,\"R-RENEW-60D\"]" "$(expiry_events "$org")"

# A list longer than a page: 2,500 more certificates, expired in 2020 and
# on no token, in the registry; khoa pages through them (1,000 a page).
registry_sql "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
	INSERT INTO certificates (sha256, serial, subject, subject_cn, issuer, not_before,
		not_after, first_seen)
	SELECT 'bulk' || i, 'B' || (10000 + i), 'CN=bulk', 'bulk', 'CN=CA',
		'2019-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2019-01-01T00:00:00Z' FROM n" >/dev/null
khoa --json expiring --days 400 >"$TMP/out"
check_eq "khoa expiring pages: every certificate once, in order" "2504 2504 true" \
	"$(j '[.certificates | length, (map(.serial) | unique | length),
		(map(.not_after) == (map(.not_after) | sort))] | join(" ")')"
check_eq "khoa expiring pages: the next page's first after the last of the one before" \
	"B11000 B11001 $c30" "$(j '[.certificates[999, 1000, 2501].serial] | join(" ")')"
check_eq "khoa expiring: as many rows" 2505 "$(khoa expiring --days 400 | sed -n '1,/^$/p' | grep -c .)"

stop_khoad
check_status "--expiry-warn refuses a bad list" 1 "$KHOAD" --expiry-warn 90,x --socket "$SOCK"
check_contains "and says so" "invalid expiry warnings" "$(cat "$TMP/err")"

done_testing
