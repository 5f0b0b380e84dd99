#!/usr/bin/env bash
# Every rule at every step (issue 16, item 3): the regulation's rules asked
# again at confirm, submit, forward and done with that day's date and the
# registry as it is then, each hole of the issue at its boundary:
#   H2 a re-issue is of the certificate whose revocation is done, once, for
#      a reason that follows the revocation's (R-REISSUE);
#   H4 a renewal that passed R-RENEW-60D when filed is refused at the step
#      where it no longer does; a certificate revoked meanwhile is not
#      renewed at the next step (R-REISSUE);
#   H5 a line begun before Thông tư 08 renewed for 5 years, not 6
#      (R-VALIDITY-5Y); a certificate come back valid longer than asked is an
#      alert (certificate.term_exceeded).
# "That day's date" moves by the profile: renew-min-days raised by one
# (SIGHUP) is the day after, seen from the certificate.
. "$(dirname "$0")/lib.sh"

as_roles
make_tokens

# cert_token LABEL START END: a new token carrying a certificate valid from
# START to END (date -d phrases); prints the certificate's serial.
cert_token() {
	softhsm2-util --init-token --free --label "$1" --so-pin 12345678 --pin 1234 >/dev/null
	issue_cert "$TMP/$1" "$1" "$2" "$3"
	put_cert "$1" "$TMP/$1" 01
}
days_left() {
	local end
	end=$(openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//')
	echo $(( ($(date -u -d "$(date -u -d "$end" +%F)" +%s) - $(date -u -d "$(date -u +%F)" +%s)) / 86400 ))
}
soon=$(cert_token "Renew Soon" '1 year ago' '70 days')
old=$(cert_token "Old Line" '11 years ago' '200 days')
first=$(cert_token "First Token" '1 year ago' '3 years')
second=$(cert_token "Second Token" '1 year ago' '3 years')
left=$(days_left "$TMP/Renew Soon.pem")
t_soon=$(token_serial "Renew Soon")
t_old=$(token_serial "Old Line")
t_first=$(token_serial "First Token")
t_second=$(token_serial "Second Token")

# rules MIN: the profile with renew-min-days MIN, read again by khoad.
reloads=0
rules() {
	printf '[roles]\nclerk = staff\ntechnician = users\nadmin = adm\n\n[rules]\nrenew-min-days = %s\n' \
		"$1" >"$TMP/khoad.conf"
	if [ -n "${KHOAD_PID:-}" ]; then
		reloads=$((reloads + 1))
		kill -HUP "$KHOAD_PID"
		wait_until reloaded "$reloads"
	fi
}
reloaded() { [ "$(grep -c "configuration reloaded" "$TMP/khoad.log")" -ge "$1" ]; }
rules "$left"
start_khoad
call io.khoa.Tokens.List >/dev/null	# after the first scan

expect() {
	local who=$1 desc=$2 want=$3
	shift 3
	"$who" "$@" >"$TMP/out" || true
	check_eq "$desc" "$want" "$(j '"\(.error // "no error") \(.parameters.rule // "")"')"
}
new_request() {	# new_request PARAMS: the id of the request filed
	call io.khoa.Requests.New "$1" >"$TMP/out"
	j .request.id
}
confirm() { as_clerk io.khoa.Requests.Confirm "{\"id\":$1}"; }
submit() { as_technician io.khoa.Requests.Submit "{\"id\":$1}"; }
forward() { as_admin io.khoa.Requests.Forward "{\"id\":$1}"; }
done_() { as_technician io.khoa.Requests.Done "{\"id\":$1}"; }
to_done() { confirm "$1" >/dev/null; submit "$1" >/dev/null; forward "$1" >/dev/null; done_ "$1" >"$TMP/out"; }
state() { call io.khoa.Requests.Get "{\"id\":$1}" | jq -r .request.state; }

call io.khoa.Organizations.Create '{"name":"Sở Tài chính"}' >"$TMP/out"
finance=$(j .organization.id)
call io.khoa.People.Create "{\"full_name\":\"Phạm Văn Bình\",\"id_number\":\"034080000777\",\"birth_date\":\"01/01/1980\",\"organization_id\":$finance,\"position\":\"Chánh Văn phòng\"}" >"$TMP/out"
binh=$(j .person.id)
for t in "$t_soon" "$t_old" "$t_first" "$t_second"; do
	call io.khoa.Tokens.Register "{\"serial\":\"$t\",\"person_id\":$binh}" >/dev/null
done

# A revocation for the person alone: which of her certificates must be said.
call io.khoa.Requests.New "{\"kind\":\"revoke\",\"person_id\":$binh,\"reason\":\"transfer\"}" >"$TMP/out" || true
check_eq "a revocation for a person holding four certificates: which, listed" \
	"io.khoa.InvalidField certificate_serial subject-certificates 4" \
	"$(j '"\(.error) \(.parameters.field) \(.parameters.rule) \(.parameters.args[0] | [scan("[(]")] | length)"')"

# ----- H4: R-RENEW-60D at each step while the request is in our hands
echo "# $left days left on $soon"
renewal=$(new_request "{\"kind\":\"renew\",\"serial\":\"$t_soon\"}")
check_eq "R-RENEW-60D: filed with exactly the days the profile needs ($left)" filed "$(state "$renewal")"
confirm "$renewal" >/dev/null
rules $((left + 1))
expect submit "  a day later it no longer passes: submit refused" \
	"io.khoa.RuleViolation R-RENEW-60D" "$renewal"
check_contains "  saying how many days remain and how many are needed" \
	"$left days of validity remain, renewal needs at least $((left + 1))" "$(j .parameters.message)"
check_eq "  the request stays where it was" confirmed "$(state "$renewal")"
rules "$left"
submit "$renewal" >/dev/null
forward "$renewal" >/dev/null
check_eq "  on the day it passes, it is forwarded" forwarded "$(state "$renewal")"
rules $((left + 1))
expect done_ "  done once the CA has it: time is the CA's, not refused" "no error " "$renewal"
check_eq "  done" done "$(state "$renewal")"
rules "$left"
expect call "R-RENEW-ONCE: no second renewal of that certificate" \
	"io.khoa.RuleViolation R-RENEW-ONCE" io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$t_soon\"}"

# ----- H4, the registry: a certificate revoked meanwhile is not renewed
renew_first=$(new_request "{\"kind\":\"renew\",\"serial\":\"$t_first\",\"requested_years\":2}")
revoke_first=$(new_request "{\"kind\":\"revoke\",\"serial\":\"$t_first\",\"reason\":\"transfer\"}")
to_done "$revoke_first"
check_eq "the revocation of the first token's certificate done" done "$(j .request.state)"
expect confirm "a renewal filed before: its confirm is refused, it is re-issued now (H3, H4)" \
	"io.khoa.RuleViolation R-REISSUE" "$renew_first"
as_technician io.khoa.Requests.Reject "{\"id\":$renew_first,\"note\":\"Đã thu hồi\"}" >"$TMP/out"
check_eq "  and can be rejected: rejecting is never refused" rejected "$(j .request.state)"

# ----- H2: re-issue of that certificate, once, for a reason that follows
expect call "R-REISSUE: a certificate never revoked (the second token's) is not re-issued" \
	"io.khoa.RuleViolation R-REISSUE" \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"certificate_serial\":\"$second\",\"reason\":\"transfer\"}"
check_contains "  saying so" "has not been revoked" "$(j .parameters.message)"
expect call "R-REISSUE: revoked for transfer, re-issued for expiry: refused" \
	"io.khoa.RuleViolation R-REISSUE" \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"certificate_serial\":\"$first\",\"reason\":\"expired\"}"
check_contains "  naming both reasons" "revoked for 'transfer', which 'expired' does not follow" \
	"$(j .parameters.message)"
reissue=$(new_request "{\"kind\":\"reissue\",\"person_id\":$binh,\"reason\":\"transfer\"}")
check_eq "re-issue for transfer, the person's one revoked certificate found by the registry" \
	"filed $first" "$(j '"\(.request.state) \(.request.certificate_serial)"')"
expect call "  a second while it is open: the open one is named" "io.khoa.Duplicate " \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"certificate_serial\":\"$first\",\"reason\":\"transfer\"}"
to_done "$reissue"
expect call "R-REISSUE: once per revocation, after it is done too" "io.khoa.RuleViolation R-REISSUE" \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"certificate_serial\":\"$first\",\"reason\":\"transfer\"}"
check_contains "  naming the re-issue" "request $reissue re-issues this revoked certificate already" \
	"$(j .parameters.message)"
expect call "  nor by the person: nothing of theirs is left to re-issue" "io.khoa.RuleViolation R-REISSUE" \
	io.khoa.Requests.New "{\"kind\":\"reissue\",\"person_id\":$binh,\"reason\":\"transfer\"}"

# ----- H5: R-VALIDITY-5Y for a line begun before Thông tư 08, and the
# certificate that comes back
expect call "R-VALIDITY-5Y: a line begun 11 years ago renewed for 6 years: refused" \
	"io.khoa.RuleViolation R-VALIDITY-5Y" \
	io.khoa.Requests.New "{\"kind\":\"renew\",\"serial\":\"$t_old\",\"requested_years\":6}"
renew_old=$(new_request "{\"kind\":\"renew\",\"serial\":\"$t_old\",\"requested_years\":5}")
check_eq "  for 5: filed" filed "$(state "$renew_old")"
confirm "$renew_old" >/dev/null
submit "$renew_old" >/dev/null
forward "$renew_old" >/dev/null
# The CA issues it for 6 years; the token comes back carrying it.
issue_cert "$TMP/renewed" "Old Line" 'now' '6 years' >"$TMP/renewed.serial"
put_cert "Old Line" "$TMP/renewed" 02
call io.khoa.Tokens.Rescan >/dev/null
check_eq "the renewal is done when the device shows its certificate" done "$(state "$renew_old")"
call io.khoa.Tokens.History "{\"serial\":\"$t_old\"}" >"$TMP/out"
check_eq "a certificate valid 6 years for a renewal of at most 5: certificate.term_exceeded" \
	"$renew_old $(cat "$TMP/renewed.serial") R-VALIDITY-5Y" \
	"$(j '.events[] | select(.type == "certificate.term_exceeded") | "\(.details.request) \(.details.certificate) \(.details.rule)"')"
check_contains "  saying what was allowed" "5 years were allowed or asked" \
	"$(j '.events[] | select(.type == "certificate.term_exceeded") | .details.message')"
check_contains "  and khoad warns of it" "R-VALIDITY-5Y: the certificate issued from" "$(cat "$TMP/khoad.log")"


stop_khoad
done_testing
