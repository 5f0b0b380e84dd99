#!/usr/bin/env bash
# kill -9 again and again (issue 15): a client adds people as fast as khoad
# answers; each round, once it has had a few more answers, khoad is killed
# and started again. Every change khoad answered is in the registry, and
# nothing is half-written: each person stored has exactly one
# person.created event. KHOA_TEST_KILLS rounds (50; on SQLite, plainly: on
# PostgreSQL the server commits, and a kill -9 under the sanitizers tells
# nothing more; for CI's time).
if [ -n "${KHOA_TEST_SANITIZED:-}" ] && [ -z "${KHOA_TEST_KILLS:-}" ]; then
	echo "1..0 # SKIP kill -9 under the sanitizers tells nothing more"
	exit 0
fi
# On PostgreSQL the server commits: failover-pg.sh kills it, 20 times.
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ] && [ -z "${KHOA_TEST_KILLS:-}" ]; then
	echo "1..0 # SKIP on PostgreSQL the server commits (failover-pg.sh)"
	exit 0
fi
. "$(dirname "$0")/lib.sh"

kills=${KHOA_TEST_KILLS:-50}
[ -n "${KHOA_TEST_KILLS:-}" ] || [ "$REGISTRY" = sqlite ] || kills=5
# No token on the desk: a start then costs little (SoftHSM2 reads every
# token it has at each start), and the changes are the registry's alone.
mkdir -p "$TMP/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$TMP/tokens" >"$TMP/softhsm2.conf"
export SOFTHSM2_CONF=$TMP/softhsm2.conf
start_khoad
: >"$TMP/acked"
# writer ROUND: people added until khoad is gone (writer.py)
writer() {
	python3 "$SOURCE_ROOT/tests/integration/writer.py" "$SOCK" "$TMP/acked" \
		$((100000000 + $1 * 10000)) 10000
}
acked_at_least() { [ "$(wc -l <"$TMP/acked")" -ge "$1" ]; }
stalled=0
for ((round = 1; round <= kills; round++)); do
	before=$(wc -l <"$TMP/acked")
	writer "$round" &
	w=$!
	# a few answers of this round, then the kill, mid-stream
	wait_until acked_at_least $((before + 5)) || stalled=$((stalled + 1))
	kill -9 "$KHOAD_PID"
	wait "$KHOAD_PID" 2>/dev/null || true
	KHOAD_PID=
	wait "$w" || true
	start_khoad
done
check_eq "$kills kills, each during a stream of changes" 0 "$stalled"
acked=$(wc -l <"$TMP/acked")
registry_sql "SELECT id FROM people ORDER BY id" >"$TMP/stored"
lost=$(sort "$TMP/acked" | comm -23 - <(sort "$TMP/stored") | wc -l)
check_eq "every answered change survived ($acked answered, $(wc -l <"$TMP/stored") stored)" 0 "$lost"
check_eq "each person stored has one person.created event, none without" "" \
	"$(registry_sql "SELECT p.id FROM people p WHERE (SELECT COUNT(*) FROM events e
		WHERE e.type = 'person.created' AND e.details LIKE '%\"id\":' || p.id || ',%') <> 1
		UNION ALL SELECT 0 WHERE (SELECT COUNT(*) FROM events WHERE type = 'person.created')
		<> (SELECT COUNT(*) FROM people)")"
echo "# $kills kills: $acked changes answered, all $acked present"
done_testing
