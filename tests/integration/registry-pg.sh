#!/usr/bin/env bash
# Choosing PostgreSQL: --registry and [registry] url, --check-config's
# report, the addresses and servers refused at start, several khoad
# migrating one new database at once, and the server going away and
# coming back; two workstations on one registry: where a token is, events
# heard across desks, the seal raced. Always on PostgreSQL (a cluster of
# its own unless KHOA_TEST_PGHOST names one), so once, in the default run.
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ]; then
	echo "1..0 # SKIP on PostgreSQL in every run already"
	exit 0
fi
KHOA_TEST_REGISTRY=postgresql
. "$(dirname "$0")/lib.sh"

pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$KHOA_TEST_PGHOST" -U khoa -At "$@"; }
url="host=$KHOA_TEST_PGHOST user=khoa dbname=$PGDB"
REGISTRY_ARGS=(--registry "$url")	# the superuser's: this test makes the roles itself
make_tokens

# ----- --check-config on a database no khoad has used yet
check_status "check-config on a new database" 0 "$KHOAD" --check-config --config "$TMP/khoad.conf" \
	--registry "$url" --workstation vt-taichinh-01
out=$(cat "$TMP/out")
check_contains "it names the server" "# registry = postgresql://khoa@$KHOA_TEST_PGHOST:5432/$PGDB (PostgreSQL 15." "$out"
check_contains "its schema, none yet" "# schema = 0 (this khoad knows " "$out"
check_contains "this workstation" "# workstation = vt-taichinh-01" "$out"

# ----- several khoad starting at once on it: each migration applied once
for i in 1 2 3; do
	"$KHOAD" --socket "$TMP/m$i.sock" --module "$SOFTHSM2_MODULE" --scan-interval 0 \
		--state-dir "$TMP/m$i" --config "$TMP/khoad.conf" --registry "$url" \
		--workstation "m$i" 2>"$TMP/m$i.log" &
	eval "m${i}_pid=$!"
done
up() { "$KHOA" --socket "$TMP/m$1.sock" status >/dev/null 2>&1; }
for i in 1 2 3; do
	wait_until up "$i" || not_ok "khoad m$i came up"
done
known=$(ls "$SOURCE_ROOT"/daemon/store/migrations/*.sql | wc -l)
check_eq "three khoad at once: every migration recorded once" "$known $known $known" \
	"$(pg -d "$PGDB" -c 'SELECT count(*), count(DISTINCT version), max(version) FROM schema_migrations' | tr '|' ' ')"
check_eq "  and applied once, by one of them or another" "$known" \
	"$(cat "$TMP"/m[123].log | grep -c 'applied migration')"
for i in 1 2 3; do
	pid_var=m${i}_pid
	kill "${!pid_var}"
	wait "${!pid_var}" && ok "khoad m$i exited cleanly" || not_ok "khoad m$i exited cleanly"
done
# What the three saw is old by the time the desks below look (last_seen has
# seconds: on a fast machine a desk's sighting could tie with theirs).
registry_sql "UPDATE token_sightings SET last_seen = '2000-01-01T00:00:00Z' WHERE workstation IN ('m1', 'm2', 'm3')" >/dev/null
check_status "check-config once it is built" 0 "$KHOAD" --check-config --config "$TMP/khoad.conf" \
	--registry "$url"
check_contains "  the schema is the one this khoad knows" "# schema = $known (this khoad knows $known)" \
	"$(cat "$TMP/out")"
check_contains "  the workstation is the host's by default" "# workstation = $(hostname)" \
	"$(cat "$TMP/out")"

# ----- [registry] url in khoad.conf, and the command line over it
printf '[registry]\nurl = %s\nworkstation = vt-tuphap-02\n' "$url" >"$TMP/reg.conf"
check_status "check-config: [registry] url" 0 "$KHOAD" --check-config --config "$TMP/reg.conf"
check_contains "  the file's url is used" "# registry = postgresql://khoa@" "$(cat "$TMP/out")"
check_contains "  and its workstation" "# workstation = vt-tuphap-02" "$(cat "$TMP/out")"
check_contains "  printed back as it was written" "url = $url" "$(cat "$TMP/out")"
printf '[registry]\nport = 5\n' >"$TMP/bad-key.conf"
check_status "an unknown key of [registry]" 1 "$KHOAD" --check-config --config "$TMP/bad-key.conf"
check_contains "  named, with its line" "bad-key.conf:2: unknown key port in [registry]" \
	"$(cat "$TMP/err")"

# ----- addresses and servers refused, at start and by check-config
check_status "a password in the address" 1 "$KHOAD" --check-config --config "$TMP/khoad.conf" \
	--registry "$url password=hunter2"
check_contains "  refused, pointing to pgpass" "~/.pgpass" "$(cat "$TMP/err")"
check_status "  khoad does not start with it" 1 "$KHOAD" --socket "$TMP/x.sock" \
	--module "$SOFTHSM2_MODULE" --state-dir "$TMP/x" --config "$TMP/khoad.conf" \
	--registry "postgresql://khoa:hunter2@/$PGDB?host=$KHOA_TEST_PGHOST"
check_contains "  nor with it in a URI" "holds a password" "$(cat "$TMP/err")"
check_status "a database that does not exist" 1 "$KHOAD" --socket "$TMP/x.sock" \
	--module "$SOFTHSM2_MODULE" --state-dir "$TMP/x" --config "$TMP/khoad.conf" \
	--registry "host=$KHOA_TEST_PGHOST user=khoa dbname=no_such_db"
check_contains "  refused with the server's reason" 'database "no_such_db" does not exist' \
	"$(cat "$TMP/err")"
check_status "an address that is not one" 1 "$KHOAD" --check-config --config "$TMP/khoad.conf" \
	--registry "host"
check_contains "  says so" "not a connection string" "$(cat "$TMP/err")"

# A role that logs in with a password (scram), the password in a pgpass
# file as the documentation says: a wrong one is refused at start, the
# right one works.
role=khoa_pw_$$
pg -d "$PGDB" -c "CREATE ROLE $role LOGIN PASSWORD 'right-$$'; GRANT ALL ON ALL TABLES IN SCHEMA public TO $role; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO $role"
hba=$KHOA_TEST_PGHOST/data/pg_hba.conf
sed -i "1i local all $role scram-sha-256" "$hba"
pg -d postgres -c 'SELECT pg_reload_conf()' >/dev/null
printf '*:*:*:%s:wrong-%s\n' "$role" "$$" >"$TMP/pgpass"
chmod 600 "$TMP/pgpass"
PGPASSFILE=$TMP/pgpass check_status "a wrong password in the pgpass file" 1 "$KHOAD" --check-config \
	--config "$TMP/khoad.conf" --registry "host=$KHOA_TEST_PGHOST user=$role dbname=$PGDB"
check_contains "  refused with the server's reason" "password authentication failed" \
	"$(cat "$TMP/err")"
printf '*:*:*:%s:right-%s\n' "$role" "$$" >"$TMP/pgpass"
PGPASSFILE=$TMP/pgpass check_status "the right one" 0 "$KHOAD" --check-config \
	--config "$TMP/khoad.conf" --registry "host=$KHOA_TEST_PGHOST user=$role dbname=$PGDB"
check_contains "  connects as that role" "# registry = postgresql://$role@" "$(cat "$TMP/out")"
sed -i "/^local all $role /d" "$hba"
pg -d postgres -c 'SELECT pg_reload_conf()' >/dev/null
pg -d "$PGDB" -c "DROP OWNED BY $role; DROP ROLE $role"

# ----- a workstation is a place: two khoad on one registry, two desks.
# Desk a reads the fixture's tokens; desk b a copy of Hường's token only.
mkdir -p "$TMP/b-tokens"
huong_dir=$(dirname "$(grep -al "Nguyen Thi Huong" "$TMP"/fx/tokens/*/token.object)")
cp -a "$huong_dir" "$TMP/b-tokens/"
sed "s|^directories.tokendir = .*|directories.tokendir = $TMP/b-tokens|" "$SOFTHSM2_CONF" >"$TMP/b.conf"
start_khoad --workstation desk-a
huong=$(token_serial "Nguyen Thi Huong")
khoa person create --name "Nguyễn Thị Hường" --id-number 034186000123 --org "$(khoa --json org create --name "Sở Tài chính" | jq .organization.id)" >/dev/null
khoa register "$huong" --holder "$(khoa --json person list | jq '.people[0].id')" >/dev/null
SOFTHSM2_CONF=$TMP/b.conf "$KHOAD" --socket "$TMP/b.sock" --module "$SOFTHSM2_MODULE" \
	--scan-interval 0 --state-dir "$TMP/b" --config "$TMP/khoad.conf" \
	--registry "$url" --workstation desk-b 2>"$TMP/b.log" &
b_pid=$!
b_up() { "$KHOA" --socket "$TMP/b.sock" --json tokens >"$TMP/b-out" 2>/dev/null; }
wait_until b_up || not_ok "khoad of desk b came up"
check_eq "desk b lists only the token on its desk" "$huong" "$(jq -r '.tokens[].serial' "$TMP/b-out")"
check_eq "  registered on desk a, shown registered on desk b" "Nguyễn Thị Hường" \
	"$(jq -r '.tokens[0].registration.holder.name' "$TMP/b-out")"
check_eq "desk a still lists its five" 5 "$(khoa --json tokens | jq '.tokens | length')"
# Hường takes her token from desk a (b keeps it)
rm -rf "${huong_dir:?}"
khoa rescan >/dev/null
await_event token.removed "{\"serial\":\"$huong\"}" >/dev/null
check_status "tokens --all" 0 khoa tokens --all
check_contains "  the desk's tokens first, then the registry's" "Registered tokens in the registry" \
	"$(cat "$TMP/out")"
khoa --json tokens --all >"$TMP/out"
check_eq "  Hường's token: last seen at desk b, there now" "desk-b true Sở Tài chính" \
	"$(jq -r --arg s "$huong" '.tokens[] | select(.serial == $s) | "\(.workstation) \(.present) \(.holder.organization)"' "$TMP/out")"
check_eq "desk a did not mark desk b's token removed" "$huong" \
	"$("$KHOA" --socket "$TMP/b.sock" --json tokens | jq -r '.tokens[].serial')"
check_eq "  the sightings: gone from a, on b" "desk-a 0
desk-b 1" "$(registry_sql "SELECT workstation, present FROM token_sightings WHERE token_serial = '$huong' AND workstation LIKE 'desk-%' ORDER BY workstation" | tr '|' ' ')"
check_eq "the workstations the registry knows (check-config adds none)" "desk-a desk-b m1 m2 m3" \
	"$(registry_sql "SELECT name FROM workstations ORDER BY name" | sort | tr '\n' ' ' | sed 's/ $//')"
# ----- events cross machines: desk b's watcher hears what desk a commits,
# each once, in id order; a record made at one desk is changed at the other
python3 "$SOURCE_ROOT/tests/integration/call.py" "$TMP/b.sock" io.khoa.Events.Watch \
	'{"since":0}' --more 1000000000 >"$TMP/b-events" 2>&1 &
b_watch=$!
justice=$(khoa --json org create --name "Sở Tư pháp" | jq .organization.id)
"$KHOA" --socket "$TMP/b.sock" org update "$justice" --address "Số 1 Lê Lợi" >/dev/null
wait_for_line "$TMP/b-events" '"organization.updated"' || true
check_eq "desk b's watcher: desk a's creation, then desk b's change" \
	"organization.created Sở Tư pháp
organization.updated Sở Tư pháp" \
	"$(jq -r 'select(.event.type | startswith("organization.")) | "\(.event.type) \(.event.details.name)"' "$TMP/b-events" | tail -n 2)"
check_eq "  desk a sees desk b's change" "Số 1 Lê Lợi" \
	"$(khoa --json org show "$justice" | jq -r .organization.address)"
# Both desks' listening connections cut: what desk a commits meanwhile
# reaches desk b's watcher once b listens again (NOTIFY is not replayed).
registry_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'khoad-listen'" >/dev/null
for name in "Sở Xây dựng" "Sở Y tế" "Sở Nội vụ"; do
	khoa org create --name "$name" >/dev/null
done
wait_for_line "$TMP/b-events" "Sở Nội vụ" && ok "after its listener was cut, desk b caught up" \
	|| not_ok "after its listener was cut, desk b caught up"
check_eq "  every event once, in id order" "$(jq -s '[.[].event.id] | sort | unique | length' "$TMP/b-events")" \
	"$(jq -s '[.[].event.id] | length' "$TMP/b-events")"
check_eq "  none missing" "$(registry_sql 'SELECT count(*) FROM events')" \
	"$(jq -s '[.[].event.id] | length' "$TMP/b-events")"
check_eq "  ids ascending" "$(jq -s -c '[.[].event.id]' "$TMP/b-events")" \
	"$(jq -s -c '[.[].event.id] | sort' "$TMP/b-events")"
check_contains "  desk b said so in its log" "no longer hearing of other workstations' events" \
	"$(cat "$TMP/b.log")"
kill "$b_watch" 2>/dev/null || true
# ----- two workstations race for the seal: one wins, the other is told
# it is out (the registry's own unique index, 0010), 20 rounds
office=$(khoa --json org create --name "Văn phòng UBND tỉnh" | jq .organization.id)
seal=$(token_serial "Van phong UBND")
khoa register "$seal" --org "$office" >/dev/null
clerk_id=$(khoa --json person list | jq '.people[0].id')
# (one process sends both check-outs at once, then checks the winner in)
read -r won refused other < <(python3 - "$SOCK" "$TMP/b.sock" "$seal" "$clerk_id" <<'PY'
import json, socket, sys
def conn(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(60)
    s.connect(path)
    return s
def ask(s, method, params):
    s.sendall(json.dumps({'method': method, 'parameters': params}).encode() + b'\0')
def answer(s):
    buf = b''
    while not buf.endswith(b'\0'):
        buf += s.recv(65536)
    return json.loads(buf[:-1])
a, b = conn(sys.argv[1]), conn(sys.argv[2])
won = refused = other = 0
for round in range(1, 21):
    # (the clerk is of another agency than the seal's: said so, R-CUSTODY)
    p = {'serial': sys.argv[3], 'person_id': int(sys.argv[4]), 'purpose': 'Ký công văn %d' % round,
         'another_agency': True}
    ask(a, 'io.khoa.Custody.SealOut', p)
    ask(b, 'io.khoa.Custody.SealOut', p)
    for r in (answer(a), answer(b)):
        e = r.get('error')
        if e is None:
            won += 1
        elif e == 'io.khoa.SealOut':
            refused += 1
        else:
            other += 1
            print('#', r, file=sys.stderr)
    ask(a, 'io.khoa.Custody.SealIn', {'serial': sys.argv[3]})
    answer(a)
print(won, refused, other)
PY
)
check_eq "seal raced 20 times from two desks: 20 won, 20 told SealOut, nothing else" \
	"20 20 0" "$won $refused $other"
check_eq "  the register: 20 entries, none open" "20 0" \
	"$(registry_sql "SELECT count(*), count(*) FILTER (WHERE in_at IS NULL) FROM seal_log" | tr '|' ' ')"
echo "# seal races: $won won, $refused refused"
# ----- each agency its own, enforced by the database: a role per agency
# (the README's commands), Sở Tư pháp's role asked to change Sở Tài
# chính's person, token and requests, by psql and by its khoad
ws=khoa_ws_$$ ra=khoa_justice_$$ rb=khoa_finance_$$
finance=$(khoa --json person list | jq '.people[0].organization_id')
huong_id=$(khoa --json person list | jq '.people[0].id')
registry_sql "CREATE ROLE $ws NOLOGIN;
	GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $ws;
	GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $ws;
	CREATE ROLE $ra LOGIN IN ROLE $ws; CREATE ROLE $rb LOGIN IN ROLE $ws;
	INSERT INTO registry_roles VALUES ('$ra', $justice), ('$rb', $finance)" >/dev/null
as_agency() { psql -X -q -h "$KHOA_TEST_PGHOST" -U "$1" -d "$PGDB" -At -c "$2" 2>&1 || true; }
as_agency_tag() { psql -X -h "$KHOA_TEST_PGHOST" -U "$1" -d "$PGDB" -c "$2" 2>&1 || true; }
check_eq "Tư pháp's role sees none of Tài chính's people" 0 \
	"$(as_agency "$ra" "SELECT count(*) FROM people WHERE organization_id = $finance")"
check_eq "  changes none (UPDATE 0)" "UPDATE 0" \
	"$(as_agency_tag "$ra" "UPDATE people SET full_name = 'X' WHERE id = $huong_id")"
check_eq "  cannot move her into its own scope" "UPDATE 0" \
	"$(as_agency_tag "$ra" "UPDATE people SET organization_id = $justice WHERE id = $huong_id")"
check_eq "  nor touch her token" "UPDATE 0" \
	"$(as_agency_tag "$ra" "UPDATE tokens SET label = 'X' WHERE serial = '$huong'")"
check_contains "  nor file a request for it" "new row violates row-level security policy" \
	"$(as_agency "$ra" "INSERT INTO requests (kind, state, token_serial, reason, form, filed_at, filed_by_uid, filed_by_user) VALUES ('pin_recovery', 'filed', '$huong', 'x', '{}', '2026-12-04T00:00:00Z', 0, 'root')")"
check_contains "  nor add a person to Tài chính" "new row violates row-level security policy" \
	"$(as_agency "$ra" "INSERT INTO people (full_name, organization_id, created_at, updated_at) VALUES ('Kẻ lạ', $finance, 'x', 'x')")"
check_eq "  but changes its own organization" "UPDATE 1" \
	"$(as_agency_tag "$ra" "UPDATE organizations SET email = 'stp@thaibinh.gov.vn' WHERE id = $justice")"
check_eq "  sees nothing of her token: holders, events, sightings" "0 0 0" \
	"$(as_agency "$ra" "SELECT (SELECT count(*) FROM holders WHERE token_serial = '$huong'),
		(SELECT count(*) FROM events WHERE token_serial = '$huong'),
		(SELECT count(*) FROM token_sightings WHERE token_serial = '$huong')" | tr '|' ' ')"
check_eq "  cannot hand her token over to itself" "UPDATE 0" \
	"$(as_agency_tag "$ra" "UPDATE holders SET valid_to = 'x' WHERE token_serial = '$huong'")"
check_eq "  nor erase the events" "DELETE 0" "$(as_agency_tag "$ra" "DELETE FROM events")"
check_contains "  cannot call itself the province" "new row violates row-level security policy" \
	"$(as_agency "$ra" "INSERT INTO registry_roles VALUES ('$ra', NULL)")"
check_eq "  nor by a registry_roles of its own, in pg_temp" 0 \
	"$(as_agency "$ra" "CREATE TEMP TABLE registry_roles (role text, organization_id bigint);
		INSERT INTO pg_temp.registry_roles VALUES ('$ra', NULL);
		SELECT count(*) FROM people WHERE organization_id = $finance")"
check_eq "Tài chính's role sees its token's events" t \
	"$(as_agency "$rb" "SELECT count(*) > 0 FROM events WHERE token_serial = '$huong'")"
check_eq "Tài chính's role changes its own person" "UPDATE 1" \
	"$(as_agency_tag "$rb" "UPDATE people SET phone = '0912345678' WHERE id = $huong_id")"
# Tư pháp's khoad, as root (an admin to khoad): khoad lets it through, the
# database refuses
sock_a=$SOCK
SOCK=$TMP/justice.sock
"$KHOAD" --socket "$SOCK" --module "$SOFTHSM2_MODULE" --scan-interval 0 \
	--state-dir "$TMP/justice" --config "$TMP/khoad.conf" --workstation vt-tuphap-01 \
	--registry "host=$KHOA_TEST_PGHOST user=$ra dbname=$PGDB" 2>"$TMP/justice.log" &
justice_pid=$!
j_up() { khoa status >/dev/null 2>&1; }
wait_until j_up || not_ok "Tư pháp's khoad came up"
call io.khoa.People.Update "{\"id\":$huong_id,\"phone\":\"0900000000\"}" >"$TMP/out" || true
check_eq "its khoad asked by root to change Tài chính's person: not in its registry" \
	io.khoa.NoSuchPerson "$(j .error)"
blank=$(token_serial "Blank token")
check_eq "  to register a token to her: she is not in its registry" io.khoa.NoSuchPerson \
	"$(call io.khoa.Tokens.Register "{\"serial\":\"$blank\",\"person_id\":$huong_id}" | jq -r .error)"
call io.khoa.Tokens.Register "{\"serial\":\"$blank\",\"organization_id\":$finance}" >"$TMP/out" || true
check_eq "  to register a token to Tài chính itself: refused by the registry" \
	"io.khoa.PermissionDenied registry" "$(j '"\(.error) \(.parameters.reason)"')"
check_eq "  nothing was written" "unregistered" \
	"$(registry_sql "SELECT status FROM tokens WHERE serial = '$blank'")"
check_status "  khoa says so" 1 khoa register "$blank" --org "$finance"
check_contains "  in words" "permission denied by the province's registry" "$(cat "$TMP/err")"
check_eq "  another agency's token on its desk (the Văn phòng's seal): no failure" "" \
	"$(grep 'could not record what it read' "$TMP/justice.log")"
check_eq "  only where it is recorded, not its label" "1 Van phong UBND" \
	"$(registry_sql "SELECT s.present, t.label FROM token_sightings s JOIN tokens t ON t.serial = s.token_serial WHERE s.token_serial = '$seal' AND s.workstation = 'vt-tuphap-01'" | tr '|' ' ')"
kill "$justice_pid"
wait "$justice_pid" && ok "Tư pháp's khoad exited cleanly" || not_ok "Tư pháp's khoad exited cleanly"
SOCK=$sock_a
registry_sql "DELETE FROM registry_roles WHERE role IN ('$ra', '$rb'); DROP OWNED BY $ra, $rb, $ws; DROP ROLE $ra, $rb, $ws" >/dev/null

# ----- the connection cut under khoad (a restarted pooler, a network
# blip): the next call connects again, and its change is written once
cut=$(registry_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'khoad' AND datname = current_database()")
check_eq "both desks' connections cut" 2 "$cut"
check_status "  the next change goes through" 0 khoa org create --name "Sở Ngoại vụ"
check_eq "  written once" 1 "$(registry_sql "SELECT count(*) FROM organizations WHERE name = 'Sở Ngoại vụ'")"
check_contains "  the log says what happened" "terminating connection due to administrator command" \
	"$(cat "$TMP/khoad.log")"

# ----- another workstation holds what a write must wait for (here the
# events' lock, as a stuck transaction would): after lock_timeout (the
# address may set it; 5 s by default) the call is told the registry is
# busy, nothing is written, and it goes through once the lock is let go
"$KHOAD" --socket "$TMP/busy.sock" --module "$SOFTHSM2_MODULE" --scan-interval 0 \
	--state-dir "$TMP/busy" --config "$TMP/khoad.conf" --workstation desk-busy \
	--registry "$url options='-c lock_timeout=300ms'" 2>"$TMP/busy.log" &
busy_pid=$!
busy_up() { "$KHOA" --socket "$TMP/busy.sock" status >/dev/null 2>&1; }
wait_until busy_up || not_ok "the third desk's khoad came up"
events_key=$(( 0x6b << 56 | 2 << 48 ))
PGAPPNAME=holder psql -X -q -h "$KHOA_TEST_PGHOST" -U khoa -d "$PGDB" -c "BEGIN" \
	-c "SELECT pg_advisory_xact_lock($events_key)" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
holder_pid=$!
held() { [ "$(registry_sql "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'holder'")" = 1 ]; }
wait_until held || not_ok "the lock is held"
SOCK=$TMP/busy.sock call io.khoa.Organizations.Create '{"name":"Sở Khoa học và Công nghệ"}' >"$TMP/out" || true
check_eq "a write while another holds the lock: RegistryBusy" io.khoa.RegistryBusy "$(j .error)"
check_status "  khoa says what to do" 1 "$KHOA" --socket "$TMP/busy.sock" org create --name "Sở Khoa học và Công nghệ"
check_contains "  in words" "another workstation is changing the same record; nothing was changed: repeat the action" "$(cat "$TMP/err")"
check_eq "  nothing written" 0 "$(registry_sql "SELECT count(*) FROM organizations WHERE name = 'Sở Khoa học và Công nghệ'")"
registry_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'holder'" >/dev/null
wait "$holder_pid" 2>/dev/null || true
check_status "  the lock let go: it goes through" 0 "$KHOA" --socket "$TMP/busy.sock" org create --name "Sở Khoa học và Công nghệ"
kill "$busy_pid"
wait "$busy_pid" && ok "the third desk's khoad exited cleanly" || not_ok "the third desk's khoad exited cleanly"

kill "$b_pid"
wait "$b_pid" && ok "khoad of desk b exited cleanly" || not_ok "khoad of desk b exited cleanly"
stop_khoad

# ----- the server away: the desk still answers, the registry says so
# (a cluster of this test's own, to stop and start again)
own=$(mktemp -u /tmp/khoa-pg.XXXXXX)
"$SOURCE_ROOT/tests/pg-cluster.sh" start "$own" --durable
trap '"$SOURCE_ROOT/tests/pg-cluster.sh" stop "$own"; cleanup' EXIT
createdb -h "$own" -U khoa -T template0 away
REGISTRY_ARGS=(--registry "host=$own user=khoa dbname=away")
start_khoad
khoa org create --name "Sở Tư pháp" >/dev/null
# the desk read once before the server goes (khoad answers before its
# first scan is done)
scanned() { khoa --json status | jq -e .snapshot_time >/dev/null; }
wait_until scanned
"$SOURCE_ROOT/tests/pg-cluster.sh" kill "$own"
check_status "server away: the tokens on the desk are still listed" 0 khoa --json tokens
check_eq "  all four" 4 "$(jq '.tokens | length' "$TMP/out")"
call io.khoa.Organizations.List >"$TMP/out" || true
check_eq "  the registry's answer: RegistryUnavailable" io.khoa.RegistryUnavailable "$(j .error)"
check_status "  khoa says what to do" 1 khoa org list
check_contains "  in words" "cannot be reached; nothing was changed" "$(cat "$TMP/err")"
check_status "  Vietnamese too" 1 env LANGUAGE=vi LC_ALL=C.UTF-8 "$KHOA" --socket "$SOCK" org list
check_contains "  in Vietnamese" "không kết nối được sổ đăng ký của tỉnh" "$(cat "$TMP/err")"
wait_for_line "$TMP/khoad.log" "registry: the server is not reachable" \
	&& ok "  khoad says once that the server is away" || not_ok "  khoad says once that the server is away"
# Lê Quang Vỹ takes his token away meanwhile: nothing can be recorded now
vy=$(token_serial "Le Quang Vy")
rm -rf "$(dirname "$(grep -al "Le Quang Vy" "$TMP"/fx/tokens/*/token.object)")"
"$SOURCE_ROOT/tests/pg-cluster.sh" restart "$own"
listed() { khoa --json org list >"$TMP/out" 2>/dev/null; }
wait_until listed && ok "the server back: khoad connects again by itself" \
	|| not_ok "the server back: khoad connects again by itself"
check_eq "  and nothing was lost" "Sở Tư pháp" "$(jq -r '.organizations[0].name' "$TMP/out")"
check_contains "  the log said the registry was away" "error: registry postgresql://khoa@$own" \
	"$(cat "$TMP/khoad.log")"
await_event token.removed "{\"serial\":\"$vy\"}" >/dev/null \
	&& ok "  back, khoad read the desk again: the token taken meanwhile is recorded removed" \
	|| not_ok "  back, khoad read the desk again: the token taken meanwhile is recorded removed"
check_eq "  once" 1 "$(grep -c "registry: reachable again" "$TMP/khoad.log")"

done_testing
