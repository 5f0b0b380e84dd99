#!/usr/bin/env bash
# run.sh - khoad as a varlink service, with an independent peer: Debian's Go
# varlink library (golang-github-varlink-go-dev) drives the real khoad on a
# SoftHSM2 token store, and what it lists must match the store's manifest.
#
# Usage: tests/varlink-go/run.sh BUILD_DIR SOURCE_DIR
#
# Needs: golang-go, golang-github-varlink-go-dev (else exit 77, skipped),
# softhsm2, opensc, openssl (for tests/fixture/mktokens.sh).
# Offline: the peer is built in GOPATH mode against /usr/share/gocode, with a
# private build cache. Reply fields that the IDL does not declare are fatal
# (peer -strict); KHOA_VARLINK_STRICT=0 only reports them.
set -euo pipefail

PROG=varlink-go
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: FAIL: %s\n' "$PROG" "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }

(($# == 2)) || { echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2; exit 2; }
BUILD=$(cd -- "$1" && pwd -P)
SRC=$(cd -- "$2" && pwd -P)
KHOAD=$BUILD/daemon/khoad
KHOA=$BUILD/client/khoa
GOLIB=/usr/share/gocode
MODULE=${SOFTHSM2_MODULE:-/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so}
export SOFTHSM2_MODULE=$MODULE

command -v go >/dev/null 2>&1 || skip "go not found (apt-get install golang-go)"
for f in varlink/connection.go varlink/idl/idl.go; do
    [[ -f $GOLIB/src/github.com/varlink/go/$f ]] ||
        skip "Go varlink library not found under $GOLIB (apt-get install golang-github-varlink-go-dev)"
done
[[ -x $KHOAD && -x $KHOA ]] || die "khoad or khoa not built in $BUILD"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/khoa-varlink-go.XXXXXX")
KHOAD_PID=
cleanup() {
    if [[ -n $KHOAD_PID ]]; then
        kill "$KHOAD_PID" 2>/dev/null || true
        local i
        for ((i = 0; i < 100; i++)); do
            kill -0 "$KHOAD_PID" 2>/dev/null || break
            sleep 0.05
        done
        kill -KILL "$KHOAD_PID" 2>/dev/null || true
        wait "$KHOAD_PID" 2>/dev/null || true
    fi
    rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------ build the peer
# GOPATH mode finds github.com/varlink/go in Debian's /usr/share/gocode; no
# module download, no proxy, no user go env, a build cache of our own.
export GO111MODULE=off GOPATH=$GOLIB GOCACHE=$TMP/gocache GOENV=off GOFLAGS='' GOPROXY=off
t0=$(date +%s%N)
if ! go build -o "$TMP/peer" "$SRC/tests/varlink-go/peer.go" 2>"$TMP/build.log"; then
    cat "$TMP/build.log" >&2
    die "the Go peer does not build"
fi
t1=$(date +%s%N)
say "built the Go peer ($(go version | cut -d' ' -f3)) in $(((t1 - t0) / 1000000)) ms"

# --------------------------------------------------------- token store, khoad
if ! "$SRC/tests/fixture/mktokens.sh" "$TMP/fx" >"$TMP/mktokens.log" 2>&1; then
    cat "$TMP/mktokens.log" >&2
    die "tests/fixture/mktokens.sh failed"
fi
# shellcheck disable=SC1091
. "$TMP/fx/env"

mkdir "$TMP/state"
"$KHOAD" --socket "$TMP/sock" --state-dir "$TMP/state" --module "$MODULE" \
    --scan-interval 0 >"$TMP/khoad.log" 2>&1 &
KHOAD_PID=$!

# Up to 60 s for its first answer (the deadline only a failure reaches, even
# on a loaded machine), in 0.05 s steps.
up=0
deadline=$((SECONDS + 60))
while ((SECONDS < deadline)); do
    if "$KHOA" --socket "$TMP/sock" status >/dev/null 2>&1; then
        up=1
        break
    fi
    kill -0 "$KHOAD_PID" 2>/dev/null || break
    sleep 0.05
done
if ((!up)); then
    sed 's/^/    khoad: /' "$TMP/khoad.log" >&2
    die "khoad did not answer on $TMP/sock within 60 s"
fi

# ----------------------------------------------------------------- the peer
peer_args=()
[[ ${KHOA_VARLINK_STRICT:-1} == 1 ]] && peer_args+=(-strict)
rc=0
"$TMP/peer" "${peer_args[@]}" "$SRC/proto" "$TMP/sock" >"$TMP/peer.out" 2>"$TMP/peer.err" || rc=$?
cat "$TMP/peer.err" >&2
if ((rc != 0)); then
    sed 's/^/    khoad: /' "$TMP/khoad.log" >&2
    die "the Go peer failed (exit status $rc)"
fi
[[ $(tail -n 1 "$TMP/peer.out") == ok ]] || die "the Go peer did not end with 'ok'"

# Its tokens and certificates must be the store's: one line per token,
# "SERIAL<TAB>CERT,CERT" (certificate serials sorted; lines sorted).
normalize() {
    awk -F'\t' '{
        n = split($2, c, ","); s = ""
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (c[j] < c[i]) { t = c[i]; c[i] = c[j]; c[j] = t }
        for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") c[i]
        print $1 "\t" s
    }' | LC_ALL=C sort
}
sed '$d' "$TMP/peer.out" | normalize >"$TMP/got"
awk -F'\t' '
    !($2 in seen) { seen[$2] = 1; order[++n] = $2; certs[$2] = "" }
    $4 != "" { certs[$2] = certs[$2] (certs[$2] == "" ? "" : ",") $4 }
    END { for (i = 1; i <= n; i++) print order[i] "\t" certs[order[i]] }
' "$TMP/fx/manifest.tsv" | normalize >"$TMP/want"
if ! diff -u "$TMP/want" "$TMP/got" >"$TMP/diff"; then
    sed 's/^/    /' "$TMP/diff" >&2
    die "tokens and certificates seen through the Go peer differ from the manifest (- manifest, + peer)"
fi
say "$(wc -l <"$TMP/got") tokens, their certificates as in the manifest"
echo ok
