#!/usr/bin/env bash
# How fast khoad answers others while one token hangs in the middle of a call
# (tests/fault's module holds C_Login until the token is pulled out).
#
# usage: bench/hang.sh [BUILD_DIR] [CALLS]
# Times CALLS io.khoa.Tokens.List round trips on one connection, and CALLS
# more each on a new connection, first with every token answering, then
# while a PIN change hangs on one of them; prints the median, p90 and max of
# each. The test (tests/integration/pin-faults.sh) checks only that the
# answers come while the token hangs; the figures are here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
calls=${2:-200}
real=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/tokens" "$tmp/faults"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$tmp/tokens" >"$tmp/softhsm2.conf"
export SOFTHSM2_CONF=$tmp/softhsm2.conf
for i in 1 2 3 4 5; do
	softhsm2-util --init-token --free --label "bench $i" --so-pin 12345678 --pin 1234 >/dev/null
done
serial=$(softhsm2-util --show-slots | awk '/Serial number:/ && $3 != "" { s = $3 } /Label: *bench 1 *$/ { print s; exit }')

KHOA_FAULT_MODULE=$real KHOA_FAULT_DIR=$tmp/faults \
	"$build/daemon/khoad" --socket "$tmp/sock" --state-dir "$tmp/state" --config /dev/null \
	--module "$build/tests/fault/khoa-fault.so" --scan-interval 0 --rescan-timeout 2 \
	2>"$tmp/khoad.log" &
pid=$!
until "$build/client/khoa" --socket "$tmp/sock" status >/dev/null 2>&1; do
	kill -0 "$pid" || exit 1
	sleep 0.01
done

python3 - "$tmp/sock" "$tmp/faults" "$serial" "$calls" <<'PY'
import json, os, socket, statistics, sys, time
sock, faults, serial, calls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def conn():
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    return s

def call(s, method, params=None):
    s.sendall(json.dumps({"method": method, "parameters": params or {}}).encode() + b"\0")
    buf = b""
    while not buf.endswith(b"\0"):
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("khoad closed the connection")
        buf += chunk
    return json.loads(buf[:-1])

def timed(new_connection):
    out = []
    s = None if new_connection else conn()
    for _ in range(calls):
        t0 = time.perf_counter()
        c = conn() if new_connection else s
        r = call(c, "io.khoa.Tokens.List")
        out.append((time.perf_counter() - t0) * 1000)
        if new_connection:
            c.close()
        assert len(r["parameters"]["tokens"]) == 5, r
    return out

def line(name, ms):
    ms = sorted(ms)
    p90 = ms[int(len(ms) * 0.9) - 1]
    print("%-40s median %6.2f ms  p90 %6.2f ms  max %7.2f ms" % (name, statistics.median(ms), p90, ms[-1]))

line("Tokens.List, one connection", timed(False))
line("Tokens.List, a connection each", timed(True))

with open(os.path.join(faults, serial + ".hang"), "w") as f:
    f.write("C_Login 600\n")
hung = conn()
hung.sendall(json.dumps({"method": "io.khoa.Pin.Change", "parameters":
                         {"serial": serial, "old_pin": "1234", "new_pin": "2468"}}).encode() + b"\0")
log = os.path.join(faults, "hangs.log")
while not (os.path.exists(log) and ("start C_Login %s\n" % serial) in open(log).read()):
    time.sleep(0.01)
line("while a token hangs, one connection", timed(False))
line("while a token hangs, a connection each", timed(True))
open(os.path.join(faults, serial + ".removed"), "w").close()   # ends the hang
PY
echo "machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
