#!/usr/bin/env bash
# What a user sees when something is wrong: typed errors, exit statuses, hints.
. "$(dirname "$0")/lib.sh"

make_tokens
start_khoad

check_status "unknown serial" 1 khoa token 0000000000000000
check_contains "unknown serial: message names it" "no token with serial 0000000000000000" "$(cat "$TMP/err")"
check_status "unknown serial, --json" 1 khoa --json token 0000000000000000
check_eq "errors go to stderr only" "" "$(cat "$TMP/out")"

check_status "daemon not running" 2 "$KHOA" --socket "$TMP/nobody.sock" tokens
check_contains "unreachable: says where it looked" "cannot reach khoad at $TMP/nobody.sock" "$(cat "$TMP/err")"
check_contains "unreachable: gives a hint" "KHOA_SOCKET" "$(cat "$TMP/err")"
KHOA_SOCKET=$SOCK check_status "socket from KHOA_SOCKET" 0 "$KHOA" tokens

check_status "unknown command" 64 khoa frobnicate
check_contains "unknown command named" "unknown command 'frobnicate'" "$(cat "$TMP/err")"
check_status "token without serial" 64 khoa token
check_status "tokens with an extra argument" 64 khoa tokens extra
check_status "no command" 64 khoa
check_status "help" 0 khoa --help
check_contains "help lists the commands" "rescan" "$(cat "$TMP/out")"
check_status "version" 0 khoa --version

check_status "khoad: bad option" 1 "$KHOAD" --bogus
check_status "khoad: bad interval" 1 "$KHOAD" --scan-interval soon
check_contains "khoad: bad interval named" "invalid scan interval: soon" "$(cat "$TMP/err")"
check_status "khoad: a second daemon on a live socket" 1 \
	"$KHOAD" --socket "$SOCK" --module "$SOFTHSM2_MODULE" --state-dir "$TMP/state2"
check_contains "khoad: says another is listening" "another khoad is listening" "$(cat "$TMP/err")"
# (one khoad per SQLite registry; a PostgreSQL one is shared by design)
if [ "$REGISTRY" = sqlite ]; then
	check_status "khoad: a second daemon on the same registry" 1 \
		"$KHOAD" --socket "$TMP/other.sock" --module "$SOFTHSM2_MODULE" --state-dir "$TMP/state"
	check_contains "khoad: says the registry is in use" "another khoad uses the registry" \
		"$(cat "$TMP/err")"
fi
check_status "khoad: a module that does not exist" 1 \
	"$KHOAD" --socket "$TMP/other.sock" --module "$TMP/no-such-module.so" --state-dir "$TMP/state2"
check_contains "khoad: names the module" "no-such-module.so" "$(cat "$TMP/err")"
check_status "khoad: help" 0 "$KHOAD" --help

# --module ./x.so is the caller's ./, not p11-kit's module directory.
(cd "$(dirname "$SOFTHSM2_MODULE")" && exec "$KHOAD" --socket "$TMP/rel.sock" --state-dir "$TMP/state3" \
	--config /dev/null --module "./$(basename "$SOFTHSM2_MODULE")" --scan-interval 0 2>"$TMP/rel.log") &
rel=$!
rel_up() { "$KHOA" --socket "$TMP/rel.sock" status >/dev/null 2>&1; }
wait_until rel_up || true
check_eq "khoad: a relative module path is loaded from here" 5 \
	"$("$KHOA" --socket "$TMP/rel.sock" --json tokens 2>/dev/null | jq '.tokens | length')"
kill "$rel"; wait "$rel" || true

# A socket left behind by a daemon that died is replaced, not refused.
stop_khoad
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
start_khoad
check_eq "stale socket replaced" 5 "$(khoa --json tokens | jq '.tokens | length')"

# A workstation with no token at all.
stop_khoad
mkdir -p "$TMP/empty/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$TMP/empty/tokens" >"$TMP/empty/softhsm2.conf"
SOFTHSM2_CONF=$TMP/empty/softhsm2.conf start_khoad
check_eq "no token: says so" "No token is present." "$(khoa tokens)"
check_eq "no certificate: says so" "No certificate is present." "$(khoa certs)"
check_eq "no token: JSON is an empty list" 0 "$(khoa --json tokens | jq '.tokens | length')"

done_testing
