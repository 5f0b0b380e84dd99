#!/usr/bin/env bash
# Roles: anyone who reaches the socket may read; every method that changes
# the registry refuses a caller without the role, naming the role needed.
# The caller is an unprivileged user here (setpriv), identified by khoad
# with SO_PEERCRED and SO_PEERGROUPS.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	echo "1..0 # SKIP needs root and setpriv to call as another user"
	exit 0
fi

# The unprivileged caller must reach the socket and the helper script.
chmod 755 "$TMP"
cp "$SOURCE_ROOT/tests/integration/call.py" "$TMP/call.py"
chmod 755 "$TMP/call.py"
nobody=$(id -u nobody)
nogroup=$(id -g nobody)
techgroup=$(getent group users | cut -d: -f3)	# any group nobody is not in
printf '[roles]\ntechnician = users\n' >"$TMP/khoad.conf"

make_tokens
start_khoad

as_nobody() { setpriv --reuid="$nobody" --regid="$nogroup" --clear-groups /usr/bin/python3 "$TMP/call.py" "$SOCK" "$@"; }
as_technician() { setpriv --reuid="$nobody" --regid="$nogroup" --groups="$techgroup" /usr/bin/python3 "$TMP/call.py" "$SOCK" "$@"; }

call io.khoa.Organizations.Create '{"name":"UBND tỉnh Thái Bình"}' >/dev/null
call io.khoa.People.Create '{"full_name":"Trần Văn Đức","id_number":"034087654321"}' >/dev/null
serial=$(token_serial "Tran Van Duc")

as_nobody io.khoa.Tokens.List >"$TMP/out" || true
check_eq "a reader may list tokens" 5 "$(jq '.tokens | length' "$TMP/out" 2>/dev/null || echo none)"
as_nobody io.khoa.People.List >"$TMP/out" || true
check_eq "a reader may list people" 1 "$(jq '.people | length' "$TMP/out" 2>/dev/null || echo none)"

while IFS='|' read -r method params; do
	as_nobody "$method" "$params" >"$TMP/out" || true
	check_eq "$method refused without the role" "io.khoa.PermissionDenied technician" \
		"$(jq -r '"\(.error) \(.parameters.role)"' "$TMP/out")"
done <<EOF_METHODS
io.khoa.Organizations.Create|{"name":"X"}
io.khoa.Organizations.Update|{"id":1,"name":"X"}
io.khoa.People.Create|{"full_name":"X","id_number":"034087654322"}
io.khoa.People.Update|{"id":1,"full_name":"X"}
io.khoa.Tokens.Register|{"serial":"$serial","person_id":1}
io.khoa.Tokens.Unregister|{"serial":"$serial"}
io.khoa.Tokens.ConfirmBinding|{"serial":"$serial"}
EOF_METHODS
check_contains "refusals are logged with the caller" "nobody (uid $nobody) refused" "$(cat "$TMP/khoad.log")"

# The same user in a group mapped to technician may.
as_technician io.khoa.Tokens.Register "{\"serial\":\"$serial\",\"person_id\":1}" >"$TMP/out" || true
check_eq "a technician (by group) registers" registered "$(jq -r .token.registration.status "$TMP/out")"
call io.khoa.Tokens.History "{\"serial\":\"$serial\"}" >"$TMP/out"
check_eq "the event names the technician" "nobody $nobody" \
	"$(jq -r '.events[] | select(.type == "token.registered") | "\(.actor.user) \(.actor.uid)"' "$TMP/out")"

# A configuration naming a role that does not exist stops khoad at once.
printf '[roles]\nboss = users\n' >"$TMP/bad.conf"
check_status "an unknown role in the configuration" 1 "$KHOAD" --socket "$TMP/x.sock" \
	--state-dir "$TMP/state2" --config "$TMP/bad.conf" --module "$SOFTHSM2_MODULE"
check_contains "it names the role" "unknown role 'boss'" "$(cat "$TMP/err")"
check_status "a configuration given but missing" 1 "$KHOAD" --socket "$TMP/x.sock" \
	--state-dir "$TMP/state2" --config "$TMP/none.conf" --module "$SOFTHSM2_MODULE"

done_testing
