#!/usr/bin/env bash
# bench/certs.sh - how much faster is `khoa --json certs` (answered from khoad's
# inventory) than asking the tokens directly with p11tool?
#
# Usage: bench/certs.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  meson build dir holding daemon/khoad and client/khoa
#              (default: the repository's build/, next to this script)
#   RUNS       measured runs of each command (default 50)
#
# What it does, all below one temporary directory that is removed on exit:
#   1. builds a SoftHSM2 store of 20 tokens / 20 certificates with
#      tests/fixture/mktokens.sh --extra 15 (5 base tokens + 15 extra);
#   2. starts khoad on it (--scan-interval 0) and waits for its first scan;
#   3. checks that khoa and p11tool see the same 20 certificates
#      (token serial + CKA_ID, also checked against the fixture's manifest);
#   4. times whole processes, interleaved round by round (A B C D, then
#      D C B A, ...) so that drift hits every command alike, output to
#      /dev/null.  The clock is hyperfine's (monotonic; one `hyperfine -N
#      --runs 1` per round, --warmup 3 in the first round), or, without
#      hyperfine, a python3 posix_spawn + perf_counter_ns timer;
#   5. prints median / min / p90 per command and the ratios against khoa.
#
# Environment: SOFTHSM2_MODULE  the SoftHSM2 module (default: Debian's path)
#              BENCH_HYPERFINE  hyperfine binary; empty: use the python3 timer
#
# It is a measurement, not a test: the exit status does not depend on the
# ratio (it is non-zero only when the set-up or the consistency check fails).
set -euo pipefail

PROG=${0##*/}
HERE=$(cd -- "$(dirname -- "$0")" && pwd -P)
REPO=$(cd -- "$HERE/.." && pwd -P)
BUILD=${1:-$REPO/build}
RUNS=${2:-50}
MODULE=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}
EXTRA=15          # mktokens.sh makes 5 tokens (4 certificates) + EXTRA
NTOKENS=20
NCERTS=20
TARGET=10

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

(($# <= 2)) || die "usage: $PROG [BUILD_DIR] [RUNS]"
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((10#$RUNS < 1)); then
    die "RUNS must be a positive integer, got '$RUNS'"
fi
RUNS=$((10#$RUNS))
KHOAD=$BUILD/daemon/khoad
KHOA=$BUILD/client/khoa
[[ -x $KHOAD && -x $KHOA ]] || die "no khoad/khoa in $BUILD (run: ninja -C $BUILD)"
for tool in p11tool pkcs11-tool softhsm2-util python3; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -r $MODULE ]] || die "SoftHSM2 module not found: $MODULE (set SOFTHSM2_MODULE)"
# BENCH_HYPERFINE: hyperfine to use; set it empty to use the python3 timer
HYPERFINE=${BENCH_HYPERFINE-$(command -v hyperfine || true)}

# ------------------------------------------------------------ scratch + trap
TMP=$(mktemp -d "${TMPDIR:-/tmp}/khoa-bench.XXXXXX")
KHOAD_PID=""
cleanup() {
    if [[ -n $KHOAD_PID ]]; then
        kill "$KHOAD_PID" 2>/dev/null || true
        wait "$KHOAD_PID" 2>/dev/null || true
    fi
    rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------- token store
t0=$(date +%s%N)
if ! "$REPO/tests/fixture/mktokens.sh" "$TMP/fx" --extra "$EXTRA" >"$TMP/mktokens.log" 2>&1; then
    cat "$TMP/mktokens.log" >&2
    die "tests/fixture/mktokens.sh failed"
fi
# shellcheck source=/dev/null
. "$TMP/fx/env"                  # exports SOFTHSM2_CONF, seen by every tool below
export SOFTHSM2_CONF
t1=$(date +%s%N)

# ------------------------------------------------------------------- khoad
SOCK=$TMP/sock
mkdir -p "$TMP/state"
"$KHOAD" --socket "$SOCK" --state-dir "$TMP/state" --module "$MODULE" --scan-interval 0 \
    >"$TMP/khoad.log" 2>&1 &
KHOAD_PID=$!

# khoad listens before its first scan is done: wait until `khoa status`
# answers *and* reports a finished scan of every module (bounded: ~10 s).
ready=0
for ((i = 0; i < 400; i++)); do
    kill -0 "$KHOAD_PID" 2>/dev/null || { cat "$TMP/khoad.log" >&2; die "khoad exited"; }
    if "$KHOA" --socket "$SOCK" --json status >"$TMP/status.json" 2>/dev/null &&
        python3 - "$TMP/status.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
mods = s.get("modules") or []
sys.exit(0 if "snapshot_time" in s and mods and all(m.get("scanned_at") for m in mods) else 1)
EOF
    then
        ready=1
        break
    fi
    sleep 0.025
done
((ready)) || { cat "$TMP/khoad.log" >&2; die "khoad did not answer with a finished scan in time"; }
t2=$(date +%s%N)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------ consistency
"$KHOA" --socket "$SOCK" --json certs >"$TMP/khoa-certs.json"
"$KHOA" --socket "$SOCK" --json tokens >"$TMP/khoa-tokens.json"
p11tool --list-all-certs "pkcs11:" >"$TMP/p11tool.out" 2>"$TMP/p11tool.err"
pkcs11-tool --module "$MODULE" -L >"$TMP/pkcs11-tool.out" 2>&1
python3 - "$TMP" "$NTOKENS" "$NCERTS" <<'EOF' || die "khoa and the reference tools do not see the same store"
import json, sys, urllib.parse
tmp, ntok, ncert = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad = []

def norm_id(s):
    return s.replace(":", "").lower()

# khoa --json certs: {"certificates": [{token_serial, id, ...}, ...]}
k = json.load(open(f"{tmp}/khoa-certs.json"))
kc = k["certificates"] if isinstance(k, dict) else k
kset = {(c["token_serial"], norm_id(c["id"])) for c in kc}
if len(kc) != ncert or len(kset) != ncert:
    bad.append(f"khoa --json certs: {len(kc)} entries ({len(kset)} distinct), want {ncert}")

# p11tool: "URL: pkcs11:model=...;serial=...;id=%..;type=cert", SoftHSM ones only
pset, other = [], 0
for line in open(f"{tmp}/p11tool.out", encoding="utf-8", errors="replace"):
    line = line.strip()
    if not line.startswith("URL: pkcs11:"):
        continue
    attrs = dict(a.split("=", 1) for a in line[len("URL: pkcs11:"):].split(";") if "=" in a)
    if attrs.get("type") != "cert":
        continue
    if urllib.parse.unquote(attrs.get("model", "")) != "SoftHSM v2":
        other += 1
        continue
    pset.append((urllib.parse.unquote(attrs["serial"]),
                 urllib.parse.unquote_to_bytes(attrs.get("id", "")).hex()))
if len(pset) != ncert:
    bad.append(f"p11tool: {len(pset)} SoftHSM v2 certificates, want {ncert}")

# the fixture's manifest: label, token serial, id, ... (id empty: no certificate)
mset = set()
for line in open(f"{tmp}/fx/manifest.tsv", encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) >= 3 and f[2]:
        mset.add((f[1], norm_id(f[2])))
if kset != set(pset) or kset != mset:
    bad.append("certificate sets differ: "
               f"khoa-only {sorted(kset - set(pset))}, p11tool-only {sorted(set(pset) - kset)}, "
               f"manifest-only {sorted(mset - kset)}")

t = json.load(open(f"{tmp}/khoa-tokens.json"))
kt = t["tokens"] if isinstance(t, dict) else t
lt = sum(1 for l in open(f"{tmp}/pkcs11-tool.out") if l.lstrip().startswith("token label"))
if len(kt) != ntok or lt != ntok:
    bad.append(f"tokens: khoa {len(kt)}, pkcs11-tool -L {lt}, want {ntok}")

for b in bad:
    print("check: " + b, file=sys.stderr)
if bad:
    sys.exit(1)
print(f"check: khoa and p11tool both list the same {ncert} certificates (token serial + CKA_ID,"
      f" = fixture manifest); p11tool also lists {other} System Trust certificates (not counted);"
      f" {ntok} tokens in khoa --json tokens and pkcs11-tool -L")
EOF

# ----------------------------------------------------------------- timing
# name <TAB> argv (words separated by single spaces; no word has a space)
CMDS=(
    "khoa --json certs"$'\t'"$KHOA --socket $SOCK --json certs"
    "p11tool --list-all-certs pkcs11:"$'\t'"p11tool --list-all-certs pkcs11:"
    "khoa --json tokens"$'\t'"$KHOA --socket $SOCK --json tokens"
    "pkcs11-tool -L"$'\t'"pkcs11-tool --module $MODULE -L"
)
case $TMP$MODULE$KHOA in *[[:space:]\'\"\\]*) die "paths with spaces or quotes are not supported" ;; esac

TIMES=$TMP/times.tsv             # "certs" <TAB> name <TAB> seconds
: >"$TIMES"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
time_group certs "$TIMES" "${CMDS[@]}"
t3=$(date +%s%N)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ----------------------------------------------------------------- report
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1)
printf 'date:    %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
printf 'machine: nproc %s, %s, %s %s\n' "$(nproc)" "${cpu:-unknown CPU}" "$(uname -s)" "$(uname -r)"
printf 'tools:   khoa %s; %s; pkcs11-tool (OpenSC); SoftHSM %s\n' \
    "$("$KHOA" --version 2>/dev/null | head -n1 | awk '{print $NF}')" \
    "$(p11tool --version 2>/dev/null | head -n1)" "$(softhsm2-util --version 2>/dev/null)"
printf 'store:   %d tokens, %d certificates (SoftHSM2, %s)\n' "$NTOKENS" "$NCERTS" "$MODULE"
printf 'clock:   %s\n' "$CLOCK"
printf 'runs:    %d per command, interleaved\n' "$RUNS"
printf 'load:    %s before timing, %s after (1/5/15 min)\n\n' "$LOAD_BEFORE" "$LOAD_AFTER"
python3 - "$TIMES" "$TARGET" <<'EOF'
import statistics, sys
from collections import defaultdict
times = defaultdict(list)
order = []
for line in open(sys.argv[1]):
    _, name, t = line.rstrip("\n").split("\t")
    if name not in times:
        order.append(name)
    times[name].append(float(t) * 1e3)
want = ["khoa --json certs", "khoa --json tokens", "p11tool --list-all-certs pkcs11:", "pkcs11-tool -L"]
order = [n for n in want if n in times] + [n for n in order if n not in want]
def p90(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
med = {n: statistics.median(v) for n, v in times.items()}
kc = med["khoa --json certs"]
w = max(len(n) for n in order)
print(f"{'command':<{w}}  {'n':>3}  {'median ms':>9}  {'min ms':>8}  {'p90 ms':>8}  {'/ khoa certs':>12}")
for n in order:
    v = times[n]
    print(f"{n:<{w}}  {len(v):>3}  {med[n]:>9.2f}  {min(v):>8.2f}  {p90(v):>8.2f}  {med[n] / kc:>11.1f}x")
print()
print(f"ratio pkcs11-tool -L/khoa tokens: {med['pkcs11-tool -L'] / med['khoa --json tokens']:.1f}x")
print(f"ratio pkcs11-tool -L/khoa certs: {med['pkcs11-tool -L'] / kc:.1f}x")
r = med["p11tool --list-all-certs pkcs11:"] / kc
target = float(sys.argv[2])
print(f"ratio p11tool/khoa certs: {r:.1f}x (target >= {target:g}x: {'met' if r >= target else 'NOT met'})")
EOF
printf '\n(set-up %.1f s: token store %.1f s, khoad first scan %.2f s; timing %.1f s)\n' \
    "$(((t2 - t0) / 1000000))e-3" "$(((t1 - t0) / 1000000))e-3" "$(((t2 - t1) / 1000000))e-3" \
    "$(((t3 - t2) / 1000000))e-3"
