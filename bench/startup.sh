#!/usr/bin/env bash
# bench/startup.sh - does khoa start like a small C program, and how much
# faster than the tools that ask the tokens themselves is it, with 20 and
# with 200 tokens?
#
# Usage: bench/startup.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  meson build dir holding daemon/khoad and client/khoa
#              (default: the repository's build/, next to this script)
#   RUNS       measured runs of each command per group (default 30, at least 20)
#
# Three groups of whole processes, each timed on its own, all below one
# temporary directory that is removed on exit:
#   start-up    `khoa --version` (no call to khoad) against a C program that
#               does nothing, built here with cc -O2 (target: within 1.5x),
#               and against the same program linked with khoa's libraries
#               (json-c, libsmartcols, libunistring): what loading them costs;
#   20 tokens   `khoa --json certs` against `p11tool --list-all-certs pkcs11:`
#               (target: khoa at least 10x faster), with `khoa --json tokens`
#               and `pkcs11-tool -L` (which lists the tokens only);
#   200 tokens  the same commands on a store of 200 tokens. p11tool lists
#               nothing once a module has more than 48 slots (GnuTLS keeps a
#               fixed slot array; FIELD-NOTES.md): its time is shown, with
#               how many certificates it found, but the comparison that
#               still holds there is pkcs11-tool -L.
# The stores come from tests/fixture/mktokens.sh DIR --extra N (5 tokens of
# its own, 4 of them with certificates, the organization token with two,
# plus N tokens of one certificate each); each is served by its own khoad
# (--scan-interval 0), waited for until its first scan is done.
#
# Within a group the runs are interleaved round by round (A B C D, then
# D C B A, ...), so drift and background load hit every command alike, and
# the output goes to /dev/null. The clock is hyperfine's (-N, --runs 1 per
# round, --warmup 3 in the first round), or without hyperfine a python3
# posix_spawn + perf_counter_ns timer. The report gives median, min and p90
# per command, the ratios of the medians, and the machine.
#
# Environment: SOFTHSM2_MODULE  the SoftHSM2 module (default: Debian's path)
#              BENCH_HYPERFINE  hyperfine binary; empty: the python3 timer
#              BENCH_STORES     the token stores to build (default "20 200";
#                               "20" alone skips the 5-minute 200-token store)
#              BENCH_BEFORE     another khoa binary (say, of the commit before a
#                               change) timed beside khoa in the same rounds,
#                               "(before)" in the report
#
# A measurement, not a test: the exit status does not depend on the ratios
# (it is non-zero only when the set-up or a consistency check fails).
set -euo pipefail

PROG=${0##*/}
HERE=$(cd -- "$(dirname -- "$0")" && pwd -P)
REPO=$(cd -- "$HERE/.." && pwd -P)
BUILD=${1:-$REPO/build}
RUNS=${2:-30}
MODULE=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}
STORES=${BENCH_STORES-20 200}
BASE_TOKENS=5   # what mktokens.sh makes besides --extra: 5 tokens, 5 certificates

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

(($# <= 2)) || die "usage: $PROG [BUILD_DIR] [RUNS]"
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((10#$RUNS < 20)); then
    die "RUNS must be a whole number, 20 or more; got '$RUNS'"
fi
RUNS=$((10#$RUNS))
KHOAD=$BUILD/daemon/khoad
KHOA=$BUILD/client/khoa
[[ -x $KHOAD && -x $KHOA ]] || die "no khoad/khoa in $BUILD (run: meson compile -C $BUILD)"
for tool in cc p11tool pkcs11-tool softhsm2-util python3; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
[[ -r $MODULE ]] || die "SoftHSM2 module not found: $MODULE (set SOFTHSM2_MODULE)"
HYPERFINE=${BENCH_HYPERFINE-$(command -v hyperfine || true)}
BEFORE=${BENCH_BEFORE:-}
[[ -z $BEFORE || -x $BEFORE ]] || die "BENCH_BEFORE: $BEFORE is not a program"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khoa-startup.XXXXXX")
case $TMP$MODULE$KHOA$BEFORE in *[[:space:]\'\"\\]*) die "paths with spaces or quotes are not supported" ;; esac
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --------------------------------------------------------------- the timer
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
: >"$TMP/times.tsv"

# ---------------------------------------------------------- start-up alone
printf 'int main(void) { return 0; }\n' >"$TMP/nothing.c"
cc -O2 -o "$TMP/nothing" "$TMP/nothing.c"
# The same program made to load what khoa links: the floor of khoa's start-up.
cc -O2 -o "$TMP/nothing-linked" "$TMP/nothing.c" -Wl,--no-as-needed -ljson-c -lsmartcols
"$KHOA" --version >/dev/null || die "khoa --version failed"
NOTES=$TMP/notes.txt
printf 'start-up: khoa links %d libraries (ldd, with the vDSO and the loader)\n' \
    "$(ldd "$KHOA" | wc -l)" >"$NOTES"
before=()
if [[ -n $BEFORE ]]; then
    printf 'start-up: khoa (before) links %d libraries\n' "$(ldd "$BEFORE" | wc -l)" >>"$NOTES"
    before=("khoa --version (before)"$'\t'"$BEFORE --version")
fi
time_group "start-up" "$TMP/times.tsv" \
    "khoa --version"$'\t'"$KHOA --version" \
    "do-nothing C program"$'\t'"$TMP/nothing" \
    "do-nothing C program linking khoa's libraries"$'\t'"$TMP/nothing-linked" "${before[@]}"

# ----------------------------------------------------------- token stores
# store N: a store of N tokens served by its own khoad; sets SOCK.
store() {
    local n=$1 dir=$TMP/store$1 i
    "$REPO/tests/fixture/mktokens.sh" "$dir/fx" --extra $((n - BASE_TOKENS)) \
        >"$dir.mktokens.log" 2>&1 || { cat "$dir.mktokens.log" >&2; die "mktokens.sh failed"; }
    # shellcheck source=/dev/null
    . "$dir/fx/env"
    export SOFTHSM2_CONF
    SOCK=$dir/sock
    mkdir -p "$dir/state"
    "$KHOAD" --socket "$SOCK" --state-dir "$dir/state" --config /dev/null --module "$MODULE" \
        --scan-interval 0 >"$dir.khoad.log" 2>&1 &
    PIDS+=($!)
    # khoad listens before its first scan is done: wait for a finished scan
    for ((i = 0; i < 2400; i++)); do
        kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$dir.khoad.log" >&2; die "khoad exited"; }
        if "$KHOA" --socket "$SOCK" --json status >"$dir.status.json" 2>/dev/null &&
            python3 -c 'import json, sys
s = json.load(open(sys.argv[1])); m = s.get("modules") or []
sys.exit(0 if "snapshot_time" in s and m and all(x.get("scanned_at") for x in m) else 1)' \
                "$dir.status.json"; then
            return 0
        fi
        sleep 0.05
    done
    die "khoad on $n tokens did not finish its first scan in 2 minutes"
}

# check N: khoa sees N tokens and N certificates, pkcs11-tool N tokens;
# notes how many SoftHSM certificates p11tool lists.
check() {
    local n=$1 dir=$TMP/store$1
    "$KHOA" --socket "$SOCK" --json certs >"$dir.certs.json"
    "$KHOA" --socket "$SOCK" --json tokens >"$dir.tokens.json"
    pkcs11-tool --module "$MODULE" -L >"$dir.p11-tool.out" 2>&1
    p11tool --list-all-certs "pkcs11:" >"$dir.p11tool.out" 2>/dev/null || true
    python3 - "$dir" "$n" >>"$NOTES" <<'EOF' || die "khoa and pkcs11-tool do not see the same store"
import json, sys, urllib.parse
d, n = sys.argv[1], int(sys.argv[2])
certs = json.load(open(f"{d}.certs.json"))["certificates"]
tokens = json.load(open(f"{d}.tokens.json"))["tokens"]
listed = sum(1 for l in open(f"{d}.p11-tool.out") if l.lstrip().startswith("token label"))
p11tool = 0
for line in open(f"{d}.p11tool.out", encoding="utf-8", errors="replace"):
    if line.strip().startswith("URL: pkcs11:") and "type=cert" in line and \
       "model=SoftHSM%20v2" in line:
        p11tool += 1
if len(tokens) != n or len(certs) != n or listed != n:
    sys.exit(f"khoa: {len(tokens)} tokens, {len(certs)} certificates; "
             f"pkcs11-tool -L: {listed} tokens; want {n} of each")
print(f"{n} tokens: khoa lists {len(tokens)} tokens and {len(certs)} certificates, "
      f"pkcs11-tool -L {listed} tokens, p11tool {p11tool} SoftHSM certificates")
EOF
}

for n in $STORES; do
    [[ $n =~ ^[0-9]+$ ]] && ((n > BASE_TOKENS)) || die "BENCH_STORES: '$n' is not a number of tokens above $BASE_TOKENS"
    t0=$(date +%s)
    store "$n"
    check "$n"
    printf '%d tokens: store and first scan took %d s\n' "$n" $(($(date +%s) - t0)) >>"$NOTES"
    before=()
    [[ -n $BEFORE ]] && before=("khoa --json certs (before)"$'\t'"$BEFORE --socket $SOCK --json certs")
    time_group "$n tokens" "$TMP/times.tsv" \
        "khoa --json certs"$'\t'"$KHOA --socket $SOCK --json certs" \
        "p11tool --list-all-certs pkcs11:"$'\t'"p11tool --list-all-certs pkcs11:" \
        "khoa --json tokens"$'\t'"$KHOA --socket $SOCK --json tokens" \
        "pkcs11-tool -L"$'\t'"pkcs11-tool --module $MODULE -L" "${before[@]}"
    kill "${PIDS[-1]}" && wait "${PIDS[-1]}" 2>/dev/null || true
    unset 'PIDS[-1]'
done

# ------------------------------------------------------------------ report
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
printf 'date:    %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
printf 'machine: %s CPUs, %s; %s\n' "$(nproc)" "${cpu:-unknown CPU}" "$(uname -srvm)"
printf 'tools:   khoa %s; %s; pkcs11-tool (OpenSC); SoftHSM %s\n' \
    "$("$KHOA" --version | awk '{print $NF}')" "$(p11tool --version 2>/dev/null | head -n1)" \
    "$(softhsm2-util --version 2>/dev/null)"
printf 'clock:   %s\n' "$CLOCK"
printf 'runs:    %d per command, interleaved within each group\n' "$RUNS"
printf 'load:    %s (1/5/15 min, at the end)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
sed 's/^/notes:   /' "$NOTES"
echo
python3 - "$TMP/times.tsv" <<'EOF'
import statistics, sys
from collections import defaultdict
times, groups = defaultdict(lambda: defaultdict(list)), []
for line in open(sys.argv[1]):
    g, name, t = line.rstrip("\n").split("\t")
    if g not in groups:
        groups.append(g)
    times[g][name].append(float(t) * 1e3)
def p90(v):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
def ratio(g, a, b, target=None, what=""):
    med = {n: statistics.median(v) for n, v in times[g].items()}
    if a in med and b in med:
        r = med[a] / med[b]
        t = "" if target is None else f" (target {what}{target:g}x: {'met' if (r <= target if what == '<= ' else r >= target) else 'NOT met'})"
        print(f"ratio {a} / {b}: {r:.2f}x{t}")
for g in groups:
    med = {n: statistics.median(v) for n, v in times[g].items()}
    w = max(len(n) for n in med)
    print(f"== {g}")
    print(f"{'command':<{w}}  {'n':>3}  {'median ms':>9}  {'min ms':>8}  {'p90 ms':>8}")
    for n, v in times[g].items():
        print(f"{n:<{w}}  {len(v):>3}  {med[n]:>9.2f}  {min(v):>8.2f}  {p90(v):>8.2f}")
    if g == "start-up":
        ratio(g, "khoa --version", "do-nothing C program", 1.5, "<= ")
        ratio(g, "do-nothing C program linking khoa's libraries", "do-nothing C program")
        ratio(g, "khoa --version", "do-nothing C program linking khoa's libraries")
        ratio(g, "khoa --version (before)", "do-nothing C program", 1.5, "<= ")
    else:
        ratio(g, "p11tool --list-all-certs pkcs11:", "khoa --json certs", 10, ">= ")
        ratio(g, "p11tool --list-all-certs pkcs11:", "khoa --json certs (before)", 10, ">= ")
        ratio(g, "pkcs11-tool -L", "khoa --json certs")
        ratio(g, "pkcs11-tool -L", "khoa --json certs (before)")
        ratio(g, "pkcs11-tool -L", "khoa --json tokens")
    print()
EOF
