#!/usr/bin/env bash
# How fast wrong PINs can be tried against a SoftHSM2 token, which never
# locks: straight at the module with pkcs11-tool (what khoad's pacing
# replaces: no delay), and through khoad, which accepts a token's next PIN
# only after a delay that doubles from 1 s to 60 s after each wrong one.
#
# usage: bench/pin-brute.sh [BUILD_DIR]
# PIN_BRUTE_S: how long each loop runs, in seconds (default 120).
#
# 1. a SoftHSM2 store of its own (one token, PIN 1234) in a temporary
#    directory, removed on exit;
# 2. "before": pkcs11-tool --login --pin WRONG in a loop for PIN_BRUTE_S
#    seconds, one process per try (an attacker calling C_Login in a loop
#    of one process goes faster still: this rate is a lower bound);
# 3. "after": khoad on the same store, and one client (the user running
#    this; root in the figures, admitted on a token nobody holds) that
#    sends wrong PINs for PIN_BRUTE_S seconds on one connection, asking
#    again 20 ms after each io.khoa.TryLater: the best a guesser can do,
#    since a refused call costs nothing. Tries are the answers
#    io.khoa.PinIncorrect; the pin.tried events are counted against them;
# 4. "a stranger": the same loop as the user nobody (setpriv; when run as
#    root) for PIN_BRUTE_STRANGER_S seconds (default 20) on the token now
#    registered to a person: every call is refused, no try reaches it;
# 5. prints the rates (tries per minute), the delays khoad set, the time
#    to try every 4- and 6-digit PIN at each rate, and the machine.
# Exits non-zero only if the set-up fails or a try was not recorded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
secs=${PIN_BRUTE_S:-120}
module=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$tmp/tokens" >"$tmp/softhsm2.conf"
export SOFTHSM2_CONF=$tmp/softhsm2.conf
softhsm2-util --init-token --free --label "brute" --so-pin 12345678 --pin 1234 >/dev/null
serial=$(softhsm2-util --show-slots | awk '/Serial number:/ && $3 != "" { s = $3 } /Label: *brute *$/ { print s; exit }')

echo "PIN_BRUTE_S=$secs, token $serial (SoftHSM2 $(softhsm2-util --version))"

# ----- before: pkcs11-tool straight at the module
n=0
wrong_answers=0
end=$((SECONDS + secs))
start_ns=$(date +%s%N)
while [ "$SECONDS" -lt "$end" ]; do
	if pkcs11-tool --module "$module" --token-label brute --login --pin "W$n-x" -O \
		>/dev/null 2>"$tmp/p11.err"; then
		echo "pkcs11-tool logged in with a wrong PIN?" >&2
		exit 1
	fi
	grep -q CKR_PIN_INCORRECT "$tmp/p11.err" && wrong_answers=$((wrong_answers + 1))
	n=$((n + 1))
done
elapsed_ns=$(($(date +%s%N) - start_ns))
[ "$wrong_answers" -eq "$n" ] || { echo "only $wrong_answers of $n pkcs11-tool runs said CKR_PIN_INCORRECT" >&2; exit 1; }
direct=$(python3 -c "print(f'{$n * 60e9 / $elapsed_ns:.1f}')")
printf 'before, pkcs11-tool --login (a process per try): %d tries in %.1f s = %s tries/min\n' \
	"$n" "$(python3 -c "print($elapsed_ns / 1e9)")" "$direct"

# ----- after: through khoad
"$build/daemon/khoad" --socket "$tmp/sock" --state-dir "$tmp/state" --config /dev/null \
	--module "$module" --scan-interval 0 2>"$tmp/khoad.log" &
pid=$!
until "$build/client/khoa" --socket "$tmp/sock" status >/dev/null 2>&1; do
	kill -0 "$pid" || exit 1
	sleep 0.01
done

python3 - "$tmp/sock" "$serial" "$secs" "$direct" <<'PY'
import json, socket, sys, time
sock, serial, secs, direct = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
buf = b""

def call(method, params):
    global buf
    s.sendall(json.dumps({"method": method, "parameters": params}).encode() + b"\0")
    while b"\0" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("khoad closed the connection")
        buf += chunk
    raw, buf = buf.split(b"\0", 1)
    return json.loads(raw)

tries = refused = 0
t0 = time.monotonic()
while time.monotonic() - t0 < secs:
    r = call("io.khoa.Pin.Change",
             {"serial": serial, "old_pin": "W%d-x" % (tries + refused), "new_pin": "2468"})
    e = r.get("error")
    if e == "io.khoa.TryLater":
        refused += 1
        time.sleep(0.02)
    elif e == "io.khoa.PinIncorrect":
        tries += 1
    else:
        raise SystemExit("unexpected answer: %s" % r)
elapsed = time.monotonic() - t0
rate = tries * 60 / elapsed
print("after, through khoad (Pin.Change, again 20 ms after each TryLater): "
      "%d tries in %.1f s = %.1f tries/min (%d calls refused with TryLater)"
      % (tries, elapsed, rate, refused))
events = [e for e in call("io.khoa.Tokens.History", {"serial": serial})["parameters"]["events"]
          if e["type"] == "pin.tried"]
print("  delays set (s):", " ".join(str(e["details"]["delay"]) for e in events))
print("  pin.tried events: %d, actor %s, pid %s" % (len(events), events[-1]["actor"]["user"],
                                                    events[-1]["details"]["pid"]))
if len(events) != tries:
    raise SystemExit("%d tries but %d events" % (tries, len(events)))
print("ratio before/after over %.0f s: %.0fx" % (secs, direct / rate))
# At the 60 s cap (from the 8th wrong try on): 60 tries an hour.
for digits in (4, 6):
    space = 10 ** digits
    print("every %d-digit PIN: before %s, after %s (at the cap, 60 tries/h)"
          % (digits, "%.1f h" % (space / direct / 60), "%.0f days" % (space / 60 / 24)))
PY
# ----- a stranger: nobody, who is no one's holder, custodian or technician
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	call() { python3 "$here/../tests/integration/call.py" "$tmp/sock" "$@"; }
	call io.khoa.People.Create '{"full_name":"Nguyễn Thị Hường","id_number":"034186000123"}' >/dev/null
	call io.khoa.Tokens.Register "{\"serial\":\"$serial\",\"person_id\":1}" >/dev/null
	before=$(call io.khoa.Tokens.History "{\"serial\":\"$serial\"}" | grep -o '"pin.tried"' | wc -l)
	chmod 755 "$tmp"
	setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups /usr/bin/python3 - \
		"$tmp/sock" "$serial" "${PIN_BRUTE_STRANGER_S:-20}" <<'PY'
import json, socket, sys, time
sock, serial, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
buf = b""
calls = tries = 0
t0 = time.monotonic()
while time.monotonic() - t0 < secs:
    s.sendall(json.dumps({"method": "io.khoa.Pin.Change", "parameters": {
        "serial": serial, "old_pin": "S%d-x" % calls, "new_pin": "2468"}}).encode() + b"\0")
    while b"\0" not in buf:
        buf += s.recv(65536)
    raw, buf = buf.split(b"\0", 1)
    calls += 1
    e = json.loads(raw).get("error")
    if e != "io.khoa.PermissionDenied":
        tries += 1
elapsed = time.monotonic() - t0
print("a stranger (nobody), through khoad: %d calls in %.1f s, %d tries = %.1f tries/min"
      % (calls, elapsed, tries, tries * 60 / elapsed))
PY
	after=$(call io.khoa.Tokens.History "{\"serial\":\"$serial\"}" | grep -o '"pin.tried"' | wc -l)
	echo "  pin.tried events before and after the stranger's calls: $before, $after"
	[ "$before" -eq "$after" ] || exit 1
fi
kill "$pid"
wait "$pid" || true
pid=
echo "machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
