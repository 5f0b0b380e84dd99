#!/usr/bin/env bash
# How long a token plugged in takes to reach a watcher of khoad when only the
# periodic scan finds it (no udev, no slot events: SoftHSM2 has neither).
#
# usage: bench/hotplug.sh [BUILD_DIR] [TRIALS] [SCAN_INTERVAL]
# Creates a token, records when, and waits for its token.appeared event on
# an io.khoa.Events.Watch stream; prints each latency and their summary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
trials=${2:-10}
interval=${3:-5}
module=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$tmp/tokens" >"$tmp/softhsm2.conf"
export SOFTHSM2_CONF=$tmp/softhsm2.conf

"$build/daemon/khoad" --socket "$tmp/sock" --state-dir "$tmp/state" --config /dev/null \
	--module "$module" --scan-interval "$interval" 2>"$tmp/khoad.log" &
pid=$!
for _ in $(seq 500); do "$build/client/khoa" --socket "$tmp/sock" status >/dev/null 2>&1 && break; sleep 0.01; done

python3 - "$tmp/sock" "$trials" "$interval" <<'PY'
import json, socket, statistics, subprocess, sys, time
sock, trials, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_UNIX); s.connect(sock)
s.sendall(json.dumps({"method": "io.khoa.Events.Watch", "more": True, "parameters": {}}).encode() + b"\0")
buf = b""
def next_event():
    global buf
    while b"\0" not in buf:
        buf += s.recv(65536)
    raw, buf = buf.split(b"\0", 1)
    return json.loads(raw)["parameters"]["event"]
lat = []
for i in range(trials):
    label = "bench %d" % i
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label,
                    "--so-pin", "12345678", "--pin", "1234"], check=True, capture_output=True)
    t0 = time.monotonic()
    while True:
        e = next_event()
        if e["type"] == "token.appeared" and e["details"].get("label") == label:
            break
    lat.append(time.monotonic() - t0)
    print("trial %2d: %.3f s" % (i + 1, lat[-1]))
    time.sleep((i * 0.37) % interval)   # spread creation times over the scan period
print("scan interval %.0f s, %d trials: median %.2f s, mean %.2f s, min %.2f s, max %.2f s"
      % (interval, trials, statistics.median(lat), statistics.mean(lat), min(lat), max(lat)))
PY
