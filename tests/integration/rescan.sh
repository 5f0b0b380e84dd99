#!/usr/bin/env bash
# Tokens that appear or vanish after khoad started: rescan sees them, and the
# periodic scan does too without anyone asking.
. "$(dirname "$0")/lib.sh"

make_tokens
start_khoad

count() { khoa --json tokens | jq '.tokens | length'; }
check_eq "five tokens at start" 5 "$(count)"

softhsm2-util --init-token --free --label "Late arrival" --so-pin 12345678 --pin 1234 >/dev/null
late=$(token_serial "Late arrival")
check_eq "a token created after start is not seen before a scan" 5 "$(count)"

out=$(khoa --json rescan)
check_eq "rescan answers with the new snapshot" 6 "$(jq '.tokens | length' <<<"$out")"
check_eq "the new token is there by its serial" "$late" "$(khoa --json token "$late" | jq -r .token.serial)"
check_eq "  typed in capitals, it is found as the device wrote it (issue 17)" "$late" \
	"$(khoa --json token "${late^^}" | jq -r .token.serial)"
check_contains "rescan prints the table" "Late arrival" "$(khoa rescan)"

softhsm2-util --delete-token --serial "$late" >/dev/null
khoa rescan >/dev/null
check_eq "a deleted token is gone after rescan" 5 "$(khoa --json rescan | jq '.tokens | length')"
# Gone from the desk, it is still in the registry: shown as last read
# (issue 16), saying so.
check_eq "  khoa token shows it from the registry's last reading, not present" "$late false" \
	"$(khoa --json token "$late" | jq -r '"\(.token.serial) \(.reading.present)"')"
check_contains "  and says when and where it was last read" "Not present now: last read from the device on $(date +%d/%m/%Y)" \
	"$(khoa token "$late")"
check_status "a serial no device showed is not found" 1 khoa token 0000DEADBEEF0000
check_eq "back to five" 5 "$(count)"

# The periodic scan alone: a daemon scanning every second sees a new token.
stop_khoad
start_khoad --scan-interval 1
softhsm2-util --init-token --free --label "Periodic" --so-pin 12345678 --pin 1234 >/dev/null
await_event token.appeared "{\"serial\":\"$(token_serial Periodic)\"}" >/dev/null || true
check_eq "the periodic scan finds a new token" Periodic \
	"$(khoa --json tokens | jq -r '.tokens[] | select(.label == "Periodic") | .label')"

done_testing
