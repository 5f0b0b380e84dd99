# Shared by the integration tests: a private token store, the real khoad on a
# private socket, the real khoa, and TAP output for meson.
#
# Environment (set by tests/meson.build): KHOAD, KHOA (the built binaries),
# SOURCE_ROOT. Each test sources this file, calls its steps, then done_testing.

set -euo pipefail

: "${SOFTHSM2_MODULE:=/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}"
export SOFTHSM2_MODULE
# Dates in the human output are local time: pin the zone so tests can compute them.
export TZ=UTC
export LC_ALL=C.UTF-8
# (COLUMNS: khoa fits its tables to it even into a pipe)
unset LANGUAGE KHOA_SOCKET COLUMNS

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khoa-test.XXXXXX")
: >"$TMP/khoad.conf"	# roles: tests that need some write them here
SOCK=$TMP/khoad.sock
KHOAD_PID=
_tests=0
_failed=0

# The registry: SQLite under $TMP/state, or, with KHOA_TEST_REGISTRY=postgresql
# (meson test --setup postgresql), a database of this test's own in the
# throw-away cluster whose socket is in KHOA_TEST_PGHOST (contrib/dev/check
# starts one for the run), else in a cluster the test starts itself.
# khoad connects as the database's owner, an ordinary role, as the README
# sets it up for Sở TT&TT: row-level security (FORCEd, 0011-0012) holds it
# too, so every suite also runs through the province's policies.
# start_khoad passes REGISTRY_ARGS; registry_sql SQL runs SQL in it (as
# the superuser, a witness the policies do not hold).
REGISTRY=${KHOA_TEST_REGISTRY:-sqlite}
REGISTRY_ARGS=()
_pg_own=
if [ "$REGISTRY" = postgresql ]; then
	if [ -z "${KHOA_TEST_PGHOST:-}" ]; then
		KHOA_TEST_PGHOST=$(mktemp -u /tmp/khoa-pg.XXXXXX)
		_pg_own=$KHOA_TEST_PGHOST
		"$SOURCE_ROOT/tests/pg-cluster.sh" start "$_pg_own"
	fi
	PGDB=$(basename "$0" .sh | tr -c 'a-z0-9\n' _)_$$
	psql -X -q -h "$KHOA_TEST_PGHOST" -U khoa -d postgres -c "CREATE ROLE ${PGDB}_owner LOGIN"
	createdb -h "$KHOA_TEST_PGHOST" -U khoa -T template0 -O "${PGDB}_owner" "$PGDB"
	REGISTRY_ARGS=(--registry "host=$KHOA_TEST_PGHOST user=${PGDB}_owner dbname=$PGDB")
fi

registry_sql() {
	if [ "$REGISTRY" = postgresql ]; then
		psql -X -q -v ON_ERROR_STOP=1 -h "$KHOA_TEST_PGHOST" -U khoa -d "$PGDB" -At -c "$1"
	else
		sqlite3 "$TMP/state/registry.db" ".timeout 5000" "$1"
	fi
}

# fresh_registry: a new, empty registry for the next start_khoad (khoad
# stopped).
fresh_registry() {
	rm -rf "$TMP/state"
	if [ "$REGISTRY" = postgresql ]; then
		dropdb -h "$KHOA_TEST_PGHOST" -U khoa --force "$PGDB"
		createdb -h "$KHOA_TEST_PGHOST" -U khoa -T template0 -O "${PGDB}_owner" "$PGDB"
	fi
}

# The whole registry as text under $TMP/state, where the checks that no PIN
# is stored look (SQLite's file is there already).
dump_registry() {
	if [ "$REGISTRY" = postgresql ]; then
		mkdir -p "$TMP/state"
		pg_dump -h "$KHOA_TEST_PGHOST" -U khoa "$PGDB" >"$TMP/state/registry.sql"
	fi
}

# On an early exit: no more checks, just leave nothing behind.
cleanup() {
	[ -n "$KHOAD_PID" ] && kill "$KHOAD_PID" 2>/dev/null
	if [ "$REGISTRY" = postgresql ]; then
		dropdb -h "$KHOA_TEST_PGHOST" -U khoa --force --if-exists "$PGDB" 2>/dev/null || true
		psql -X -q -h "$KHOA_TEST_PGHOST" -U khoa -d postgres \
			-c "DROP ROLE IF EXISTS ${PGDB}_owner" 2>/dev/null || true
		[ -z "$_pg_own" ] || "$SOURCE_ROOT/tests/pg-cluster.sh" stop "$_pg_own"
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() {
	_tests=$((_tests + 1))
	echo "ok $_tests - $*"
}

not_ok() {
	_tests=$((_tests + 1))
	_failed=$((_failed + 1))
	echo "not ok $_tests - $*"
}

# check DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		{ echo "expected:"; echo "$2"; echo "actual:"; echo "$3"; } | head -n 40 | sed 's/^/#   /'
	fi
}

# check_contains DESCRIPTION NEEDLE HAYSTACK
check_contains() {
	if [[ "$3" == *"$2"* ]]; then
		ok "$1"
	else
		not_ok "$1"
		{ echo "wanted:"; echo "$2"; echo "in:"; echo "$3"; } | head -n 40 | sed 's/^/#   /'
	fi
}

# check_status DESCRIPTION EXPECTED_STATUS COMMAND...
check_status() {
	local desc=$1 want=$2 got=0
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" || got=$?
	check_eq "$desc (exit status)" "$want" "$got"
}

done_testing() {
	stop_khoad
	echo "1..$_tests"
	[ "$_failed" -eq 0 ]
}

# make_tokens [--extra N]: a SoftHSM2 store shaped like the government CA's.
# Making one takes 4 s of CPU; with KHOA_TEST_FIXTURES naming a directory
# (contrib/dev/check: one for the run), the plain store is made there once
# and each test gets a copy, its paths rewritten.
make_tokens() {
	local cache=${KHOA_TEST_FIXTURES:-}
	if [ -n "$cache" ] && [ $# -eq 0 ]; then
		(
			flock 9
			if [ ! -f "$cache/fx.made" ]; then
				rm -rf "$cache/fx"
				"$SOURCE_ROOT/tests/fixture/mktokens.sh" "$cache/fx" >"$cache/fixture.log"
				touch "$cache/fx.made"
			fi
		) 9>"$cache/lock"
		cp -a "$cache/fx" "$TMP/fx"
		sed -i "s|$cache/fx|$TMP/fx|g" "$TMP/fx/env" "$TMP/fx/softhsm2.conf" \
			"$TMP/fx/pki/openssl.cnf" "$TMP/fx/README"
	else
		"$SOURCE_ROOT/tests/fixture/mktokens.sh" "$TMP/fx" "$@" >"$TMP/fixture.log"
	fi
	# shellcheck disable=SC1091
	. "$TMP/fx/env"
}

khoa() {
	"$KHOA" --socket "$SOCK" "$@"
}

# start_khoad [ARGS...]: the real daemon on the test's socket, on SoftHSM2 only;
# returns once it answers.
start_khoad() {
	"$KHOAD" --socket "$SOCK" --module "$SOFTHSM2_MODULE" --scan-interval 0 \
		--state-dir "$TMP/state" --config "$TMP/khoad.conf" "${REGISTRY_ARGS[@]}" "$@" \
		2>>"$TMP/khoad.log" &
	KHOAD_PID=$!
	wait_for_khoad
}

# Polls for the daemon's first answer: there is nothing else to wait on
# until it has a readiness notification.
wait_for_khoad() {
	local deadline=$((SECONDS + WAIT_S))
	until "$KHOA" --socket "$SOCK" status >/dev/null 2>&1; do
		if ! kill -0 "$KHOAD_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
			echo "# khoad did not come up; its log:"
			sed 's/^/#   /' "$TMP/khoad.log"
			return 1
		fi
		sleep 0.01
	done
}

# Stops the daemon and checks that it exited cleanly (under the sanitizers
# that includes its leak check).
stop_khoad() {
	if [ -n "$KHOAD_PID" ]; then
		local status=0
		kill "$KHOAD_PID" 2>/dev/null || true
		wait "$KHOAD_PID" 2>/dev/null || status=$?
		KHOAD_PID=
		if [ "$status" -eq 0 ]; then
			ok "khoad exited cleanly"
		else
			not_ok "khoad exited cleanly (status $status)"
			tail -n 30 "$TMP/khoad.log" | sed 's/^/#   /'
		fi
		# check builds: every reply was what the interface files say
		if grep -q "does not match the interface" "$TMP/khoad.log"; then
			not_ok "every reply matched the interface files"
			grep "does not match the interface" "$TMP/khoad.log" | sort -u | sed 's/^/#   /'
		fi
	fi
}

p11() {
	pkcs11-tool --module "$SOFTHSM2_MODULE" "$@" 2>/dev/null
}

# issue_cert FILE CN START END: a certificate for a new P-256 key from the
# fixture's sub-CA, as mktokens.sh issues them, valid from START to END
# (date -d phrases, e.g. '1 year ago', '89 days'); writes FILE.pem and
# FILE.der and prints its serial as openssl does.
issue_cert() {
	local f=$1 cn=$2 pki=$TMP/fx/pki
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$f.key" 2>/dev/null
	OPENSSL_CONF=$pki/openssl.cnf openssl req -new -utf8 -key "$f.key" -out "$f.csr" \
		-subj "/C=VN/ST=Thái Bình/O=UBND tỉnh Thái Bình/CN=$cn" 2>/dev/null
	OPENSSL_CONF=$pki/openssl.cnf openssl ca -batch -notext -preserveDN \
		-cert "$pki/subca.pem" -keyfile "$pki/subca.key" -in "$f.csr" \
		-startdate "$(date -u -d "$3" +%Y%m%d%H%M%SZ)" \
		-enddate "$(date -u -d "$4" +%Y%m%d%H%M%SZ)" \
		-extensions ee_ec -out "$f.pem" 2>/dev/null
	openssl x509 -in "$f.pem" -outform DER -out "$f.der"
	openssl x509 -in "$f.pem" -noout -serial | sed 's/^serial=//'
}

# put_cert LABEL FILE ID: FILE.der onto the token LABEL as certificate ID.
put_cert() {
	p11 --token-label "$1" --login --pin 1234 --write-object "$2.der" --type cert \
		--id "$3" --label "$1" >/dev/null
}

# Waiting: for what a test waits on to happen, never for a while. A wait
# ends as soon as it does; its deadline, WAIT_S seconds, is there for a test
# that fails (load stretches a wait by seconds, not by a minute).
WAIT_S=60

# wait_until COMMAND...: runs COMMAND every 10 ms until it succeeds; false
# once WAIT_S seconds have passed. (A condition that must be read again
# each time, such as a count, goes into a function.)
wait_until() {
	local deadline=$((SECONDS + WAIT_S))
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.01
	done
}

# wait_for_line FILE PATTERN: until a line of FILE (a file a background
# process writes) matches the grep PATTERN.
wait_for_line() { wait_until grep -qs -- "$2" "$1"; }

# Datagrams (tests/integration/listen.py writes each as a JSON line):
# await FILE JQ [N]: until N (1) datagrams in FILE match the jq filter on
# .fields (at most WAIT_S seconds); prints how many did.
await() {
	local file=$1 filter=$2 want=${3:-1} got=0 deadline=$((SECONDS + WAIT_S))
	while :; do
		got=$(jq -c "select(.fields | $filter)" "$file" 2>/dev/null | wc -l)
		[ "$got" -lt "$want" ] && [ "$SECONDS" -lt "$deadline" ] || break
		sleep 0.02
	done
	echo $((got < want ? got : want))
}
wait_listening() { [ "$(await "$1" '.LISTENING')" = 1 ]; }

# PINs are paced: after a wrong one khoad answers the token's next try of
# that PIN with io.khoa.TryLater until a delay (1 s, 2 s, 4 s … 60 s) has
# passed. past_try_later COMMAND...: runs COMMAND, a call whose answer goes
# to $TMP/out, again while that answer is TryLater; the answer that was not
# is left in $TMP/out. (calls.py --wait does the same on one connection,
# for a next call that must follow at once.)
past_try_later() { wait_until _not_try_later "$@"; }
_not_try_later() {
	"$@" >"$TMP/out" 2>&1 || true
	[ "$(jq -r '.error // empty' "$TMP/out" 2>/dev/null)" != io.khoa.TryLater ]
}

# Events. khoad sends a watcher that asks with "since" the stored events
# after that id first, then each new one as it happens; it reads the stored
# ones and enrolls the watcher in one step, so none falls between. A watcher
# without "since" gets only what happens once khoad has read its call, and
# one started in the background can be read after the very event it waits
# for (on a loaded machine it often is): tests ask with "since".
#
# watch_to FILE [PARAMS]: io.khoa.Events.Watch in the background, from
# "since" 0 unless PARAMS give another, each event one JSON line in FILE;
# $! is the watcher (it also ends when khoad does).
watch_to() {
	local params
	params=$(jq -c '{since: 0} + .' <<<"${2:-"{}"}")
	python3 "${CALL_PY:-$SOURCE_ROOT/tests/integration/call.py}" "$SOCK" io.khoa.Events.Watch \
		"$params" --more 1000000000 >"$1" 2>&1 &
}

# await_event TYPE [PARAMS [--nth K]]: returns once an event of TYPE (the
# K-th) is recorded, at once if it is already, printing the events from
# "since" 0 (unless PARAMS give another) up to it; fails if none comes
# within call.py's 60 s.
await_event() {
	local params
	params=$(jq -c '{since: 0} + .' <<<"${2:-"{}"}")
	call io.khoa.Events.Watch "$params" --until "$1" "${@:3}"
}

# call METHOD [PARAMS] [--more N | --until TYPE]: the method through
# call.py (the copy as_roles made, which every user can run, when there is
# one); j FILTER: jq of the last answer saved in $TMP/out.
call() { python3 "${CALL_PY:-$SOURCE_ROOT/tests/integration/call.py}" "$SOCK" "$@"; }
j() { jq -r "$1" "$TMP/out"; }

# A list method a page at a time (issue 15). page_through WHO METHOD PARAMS
# FILTER: METHOD (called by WHO: call, as_official, …) with PARAMS and
# "limit":1, each page after the one before (its "after" the page's
# "next") until one comes without next, at most 100; prints what FILTER
# (jq, of each page) says of each, joined by spaces, then "|" and how many
# pages there were: "a b c |3" for a list of three.
page_through() {
	local who=$1 method=$2 params=$3 filter=$4 after="" pages="" n=0 p
	while [ "$n" -lt 100 ]; do
		n=$((n + 1))
		p=$(jq -cn --argjson p "$params" --arg a "$after" \
			'$p + {limit: 1} + (if $a == "" then {} else {after: $a} end)')
		"$who" "$method" "$p" >"$TMP/out"
		pages+="$(j "$filter") "
		after=$(j '.next // empty')
		[ -n "$after" ] || break
	done
	echo "$pages|$n"
}
# page_refusals NAME WHO METHOD: a page of none, a page of more than 1000
# and a cursor that is none (not one of this list's) are refused, each with
# InvalidField naming its parameter; NAME heads the checks.
page_refusals() {
	local name=$1 who=$2 method=$3 params
	for params in '{"limit":0}' '{"limit":1001}'; do
		"$who" "$method" "$params" >"$TMP/out" || true
		check_eq "$name: $params refused" "io.khoa.InvalidField limit" \
			"$(j '.error + " " + .parameters.field')"
	done
	for params in '{"after":"x"}' '{"after":"[\"x\",1,2,3]"}'; do
		"$who" "$method" "$params" >"$TMP/out" || true
		check_eq "$name: after $(jq -r .after <<<"$params") refused" \
			"io.khoa.InvalidField after" "$(j '.error + " " + .parameters.field')"
	done
}

# token_serial LABEL: the serial pkcs11-tool reads for the token so labelled.
token_serial() {
	p11 -L | awk -v want="$1" '
		/^ *token label *:/ { sub(/^ *token label *: */, ""); label = $0 }
		/^ *serial num *:/ { sub(/^ *serial num *: */, ""); if (label == want) print }'
}

# Callers with roles, for tests of who may do what. Each role is another
# Unix user, one that every Debian system has (base-passwd), so that khoad,
# which tells people apart by uid, sees as many people as roles: a request
# walked by them passes four eyes (R-RENEW-APPROVE), one person taking two
# steps in a row does not. as_roles lets them reach the socket, call.py
# and khoa, and maps to the roles, in khoad.conf, groups that none of them
# is in by default (call it before start_khoad):
#   as_official    nobody, in no group            no role
#   as_clerk       lp, in staff                   clerk
#   as_technician  news, in users                 technician
#   as_admin       uucp, in adm                   admin (root is admin too, another person)
# each calls a method through call.py; khoa_as WHO ARGS... runs the khoa
# client as one of them (WHO: official, clerk, technician, admin). A test
# that can do without them asks can_switch_user first.
can_switch_user() { [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; }
as_roles() {
	if ! can_switch_user; then
		echo "1..0 # SKIP needs root and setpriv to call as another user"
		exit 0
	fi
	chmod 755 "$TMP"
	cp "$SOURCE_ROOT/tests/integration/call.py" "$TMP/call.py"
	cp "$KHOA" "$TMP/khoa"
	chmod 755 "$TMP/call.py" "$TMP/khoa"
	CALL_PY=$TMP/call.py
	nobody=$(id -u nobody)
	clerkgroup=$(getent group staff | cut -d: -f3)
	techgroup=$(getent group users | cut -d: -f3)
	admingroup=$(getent group adm | cut -d: -f3)
	printf '[roles]\nclerk = staff\ntechnician = users\nadmin = adm\n' >"$TMP/khoad.conf"
}

# as_user USER GROUP PROGRAM [ARGS...]: PROGRAM as USER (with its own
# primary group) in GROUP too (none when empty).
as_user() {
	local user=$1 group=$2
	shift 2
	if [ -z "$group" ]; then
		setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups "$@"
	else
		setpriv --reuid="$user" --regid="$(id -g "$user")" --groups="$group" "$@"
	fi
}
# The user and group of a role.
_role_user() {
	case $1 in
	official) echo "nobody " ;;
	clerk) echo "lp $clerkgroup" ;;
	technician) echo "news $techgroup" ;;
	admin) echo "uucp $admingroup" ;;
	*) echo "no role $1" >&2; return 1 ;;
	esac
}
as_role() {	# as_role ROLE METHOD [PARAMS]: call.py as ROLE's user
	local who
	who=$(_role_user "$1")
	shift
	as_user "${who% *}" "${who#* }" /usr/bin/python3 "$TMP/call.py" "$SOCK" "$@"
}
khoa_as() {	# khoa_as ROLE ARGS...: the khoa client as ROLE's user
	local who
	who=$(_role_user "$1")
	shift
	as_user "${who% *}" "${who#* }" "$TMP/khoa" --socket "$SOCK" "$@"
}
as_official() { as_role official "$@"; }	# no role at all
as_clerk() { as_role clerk "$@"; }
as_technician() { as_role technician "$@"; }
as_admin() { as_role admin "$@"; }

# ----- the people of the tests of who may do what (access.sh, matrix.sh,
# personal.sh): users of every Debian base system. access_callers before
# start_khoad, make_agencies after it.
access_callers() {
	as_roles
	printf '[roles]\ntechnician = users\n' >"$TMP/khoad.conf"
	usersgroup=$(getent group users | cut -d: -f3)
}
# as WHO COMMAND...: COMMAND as WHO, a user in no group but their own
# (games, man, lp, mail, nobody…), "tech" (news in group users) or root.
as() {
	local who=$1
	shift
	case $who in
	root) "$@" ;;
	tech) setpriv --reuid="$(id -u news)" --regid="$(id -g news)" --groups="$usersgroup" "$@" ;;
	*) setpriv --reuid="$(id -u "$who")" --regid="$(id -g "$who")" --clear-groups "$@" ;;
	esac
}
as_call() {	# as_call WHO METHOD [PARAMS]
	local who=$1
	shift
	as "$who" /usr/bin/python3 "$TMP/call.py" "$SOCK" "$@"
}
# Sở Tài chính ($finance) and Văn phòng UBND tỉnh ($office); Hường
# ($huong_id, login games) and Mai ($mai_id, login lp, Sở Tài chính's clerk
# by her record) of the first, Đức ($duc_id, login man) of the second, whose
# clerk is mail by [clerks] (khoad reloads it). Each with a birth date and a
# phone; the organizations with an address.
make_agencies() {
	call io.khoa.Organizations.Create '{"name":"Sở Tài chính","address":"Số 2 Lê Lợi"}' >"$TMP/out"
	finance=$(j .organization.id)
	call io.khoa.Organizations.Create '{"name":"Văn phòng UBND tỉnh","address":"Số 76 Lê Lợi"}' >"$TMP/out"
	office=$(j .organization.id)
	huong_id=$(_person "Nguyễn Thị Hường" 034186000123 1986-03-12 "$finance" 0912345678 games)
	duc_id=$(_person "Trần Văn Đức" 034087654321 1987-05-02 "$office" 0987654321 man)
	mai_id=$(_person "Đỗ Thị Mai" 034190001234 1990-01-20 "$finance" 0904000111)
	call io.khoa.People.Update "{\"id\":$mai_id,\"logins\":[\"lp\"],\"clerk\":true}" >/dev/null
	printf '[roles]\ntechnician = users\n\n[clerks]\nmail = %s\n' "$office" >"$TMP/khoad.conf"
	kill -HUP "$KHOAD_PID"
	wait_for_line "$TMP/khoad.log" "configuration reloaded"
}
_person() {	# _person NAME ID_NUMBER BIRTH ORG PHONE [LOGIN]: its id
	call io.khoa.People.Create "{\"full_name\":\"$1\",\"id_number\":\"$2\",\"birth_date\":\"$3\",\"organization_id\":$4,\"phone\":\"$5\"}" >"$TMP/out"
	local id
	id=$(j .person.id)
	[ -z "${6:-}" ] || call io.khoa.People.Update "{\"id\":$id,\"logins\":[\"$6\"]}" >/dev/null
	echo "$id"
}
