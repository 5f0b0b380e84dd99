#!/usr/bin/env bash
# Events across workstations: the delay from a change committed by khoad A
# to the event at a watcher of khoad B, both on one PostgreSQL registry
# (a throw-away cluster of tests/pg-cluster.sh, on this machine's Unix
# socket). A Python client sends N changes to A, one at a time, FIXED_GAP
# apart, and times each in one process with time.monotonic(): from sending
# to the event at B's watcher, and from A's reply to that event (negative
# when B's watcher heard first). Prints p50, p99 and max in milliseconds.
#
#   bench/event-delay.sh [BUILD_DIR] [N]        (default build, 500)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
n=${2:-500}
module=/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so
TMP=$(mktemp -d /tmp/khoa-bench.XXXXXX)
pg=$TMP.pg
trap '[ -n "${a:-}" ] && kill "$a" "$b" 2>/dev/null; "$root/tests/pg-cluster.sh" stop "$pg"; rm -rf "$TMP"' EXIT

"$root/tests/pg-cluster.sh" start "$pg" ${DURABLE:+--durable}
createdb -h "$pg" -U khoa -T template0 bench
mkdir -p "$TMP/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$TMP/tokens" >"$TMP/softhsm2.conf"
export SOFTHSM2_CONF=$TMP/softhsm2.conf
url="host=$pg user=khoa dbname=bench"
: >"$TMP/khoad.conf"
for w in a b; do
	"$build/daemon/khoad" --socket "$TMP/$w.sock" --module "$module" --scan-interval 0 \
		--state-dir "$TMP/$w" --config "$TMP/khoad.conf" --registry "$url" \
		--workstation "bench-$w" 2>"$TMP/$w.log" &
	eval "$w=$!"
	until "$build/client/khoa" --socket "$TMP/$w.sock" status >/dev/null 2>&1; do sleep 0.05; done
done

python3 - "$TMP/a.sock" "$TMP/b.sock" "$n" <<'EOF'
import json, socket, sys, time

def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s

def send(s, method, params, more=False):
    msg = {'method': method, 'parameters': params}
    if more:
        msg['more'] = True
    s.sendall(json.dumps(msg).encode() + b'\0')

def reader(s):
    buf = b''
    while True:
        while b'\0' not in buf:
            chunk = s.recv(65536)
            if not chunk:
                return
            buf += chunk
        msg, buf = buf.split(b'\0', 1)
        yield json.loads(msg)

a_path, b_path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
a, b = connect(a_path), connect(b_path)
a_in = reader(a)
send(a, 'io.khoa.Organizations.Create', {'name': 'Sở Khoa học và Công nghệ'})
org = next(a_in)['parameters']['organization']['id']
send(b, 'io.khoa.Events.Last', {})
b_in = reader(b)
since = next(b_in)['parameters'].get('id', 0)
send(b, 'io.khoa.Events.Watch', {'since': since}, more=True)
sent_to_event, reply_to_event = [], []
for i in range(n):
    t0 = time.monotonic()
    send(a, 'io.khoa.Organizations.Update', {'id': org, 'address': 'Số %d Lê Lợi' % i})
    reply = next(a_in)
    t1 = time.monotonic()
    assert 'error' not in reply, reply
    while True:
        ev = next(b_in)['parameters']['event']
        if ev['type'] == 'organization.updated' and ev['details'].get('address') == 'Số %d Lê Lợi' % i:
            break
    t2 = time.monotonic()
    sent_to_event.append((t2 - t0) * 1000)
    reply_to_event.append((t2 - t1) * 1000)
    time.sleep(0.02)

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]

for name, v in (('send at A -> event at B', sent_to_event),
                ('reply from A -> event at B', reply_to_event)):
    print('%-28s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (n=%d)'
          % (name, pct(v, 50), pct(v, 99), max(v), len(v)))
EOF
