#!/usr/bin/env bash
# Disk trouble (issue 15): khoad on a full state disk, under its free-space
# floor, and on a disk remounted read-only. It starts and serves reads, and
# refuses every change with io.khoa.RegistryReadOnly (translated by khoa);
# once there is room it takes changes again by itself. A real full disk: a
# 4 MiB tmpfs as the state directory, filled until ENOSPC.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root to mount a small tmpfs"
	exit 0
fi
if [ "$REGISTRY" = postgresql ]; then
	echo "1..0 # SKIP a PostgreSQL registry's disk is its server's"
	exit 0
fi
STATE=$TMP/state
mkdir -p "$STATE"
if ! mount -t tmpfs -o size=4m,mode=0700 tmpfs "$STATE" 2>/dev/null; then
	echo "1..0 # SKIP cannot mount a tmpfs here"
	exit 0
fi
unmount() {
	if [ -n "$KHOAD_PID" ]; then
		kill "$KHOAD_PID" 2>/dev/null || true
		wait "$KHOAD_PID" 2>/dev/null || true
	fi
	umount "$STATE" || true
	cleanup
}
trap unmount EXIT
make_tokens
# A floor of 1 MiB (the default, 16, is more than this disk has).
printf '[registry]\nfree-space-floor = 1\n' >"$TMP/khoad.conf"

avail() { df -B1 --output=avail "$STATE" | tail -n 1 | tr -d ' '; }
# leave BYTES: fills the disk (the file filler) until BYTES are free
leave() { fallocate -l $(($(avail) - $1)) "$STATE/filler.$((++fills))"; }
fills=0
create() { call io.khoa.Organizations.Create "{\"name\":\"$1\"}" >"$TMP/out" 2>&1 || true; }
created() { create "$1"; [ "$(j '.organization.id // empty')" != "" ]; }

# ----- the registry made on the small disk
start_khoad
check_status "an organization, on a disk with room" 0 khoa org create --name "Sở Tư pháp"
stop_khoad

# ----- full: khoad starts, reads, refuses changes
dd if=/dev/zero of="$STATE/filler.0" bs=64k 2>/dev/null || true
check_eq "the disk is full" 0 "$(avail)"
python3 "$SOURCE_ROOT/tests/integration/listen.py" "$TMP/notify.sock" >"$TMP/notify" &
listener=$!
wait_listening "$TMP/notify"
export NOTIFY_SOCKET=$TMP/notify.sock	# as systemd's Type=notify: khoad's STATUS=
start_khoad
unset NOTIFY_SOCKET
check_contains "khoad says it is read-only, and why" "takes no change for now (disk-full)" "$(cat "$TMP/khoad.log")"
check_eq "and tells systemd so (STATUS=)" 1 \
	"$(await "$TMP/notify" '(.STATUS // "") | startswith("The registry is read-only (disk-full")')"
kill "$listener"
check_status "khoa tokens answers" 0 khoa tokens
check_status "a registry read answers" 0 khoa org list
check_contains "  with what the registry holds" "Sở Tư pháp" "$(cat "$TMP/out")"
create "Sở Tài chính"
check_eq "a change: refused, RegistryReadOnly" io.khoa.RegistryReadOnly "$(j .error)"
check_eq "  because the disk is full" disk-full "$(j .parameters.reason)"
check_status "khoa org create: refused" 1 khoa org create --name "Sở Tài chính"
check_contains "  told why" "the disk of khoad's state directory is full; nothing was changed" \
	"$(cat "$TMP/err")"
LANGUAGE=vi check_status "  in Vietnamese" 1 khoa org create --name "Sở Tài chính"
check_contains "  told why, in Vietnamese" "ổ đĩa chứa thư mục trạng thái của khoad đã đầy" \
	"$(cat "$TMP/err")"
check_eq "the scans write nothing and say nothing more" 1 \
	"$(grep -c "takes no change" "$TMP/khoad.log")"

# ----- room again: writable by itself
rm -f "$STATE"/filler.*
check_status "space freed: khoad takes changes again by itself" 0 \
	wait_until created "Sở Tài chính"
check_contains "  and says so" "takes changes again" "$(cat "$TMP/khoad.log")"
check_status "  read back" 0 khoa org list
check_contains "  with what the registry holds" "Sở Tài chính" "$(cat "$TMP/out")"

# ----- the floor: just above it a change is made, just below refused
leave $((1536 * 1024))
check_status "1.5 MiB free, over the floor of 1 MiB: a change is made" 0 created "Sở Nội vụ"
leave $((512 * 1024))
create "Sở Y tế"
check_eq "0.5 MiB free, under the floor: refused" io.khoa.RegistryReadOnly "$(j .error)"
check_eq "  as low on space" low-space "$(j .parameters.reason)"
check_status "  khoa says so" 1 khoa org create --name "Sở Y tế"
check_contains "  told why" "almost full (under its free-space floor)" "$(cat "$TMP/err")"
check_status "  and the disk still has room: SQLite never met a full disk" 0 \
	test "$(avail)" -gt 0
rm -f "$STATE"/filler.*
check_status "space freed: the next change is made" 0 created "Sở Y tế"

# ----- remounted read-only (with khoad stopped: a disk with a file open
# for writing is not remounted so)
stop_khoad
mount -o remount,ro "$STATE"
start_khoad
check_status "khoad starts on a disk mounted read-only" 0 khoa org list
check_contains "  and reads the registry" "Sở Y tế" "$(cat "$TMP/out")"
create "Sở Xây dựng"
check_eq "  a change: refused" io.khoa.RegistryReadOnly "$(j .error)"
check_eq "  as the disk is read-only" read-only "$(j .parameters.reason)"
check_status "  khoa says so" 1 khoa org create --name "Sở Xây dựng"
check_contains "  told why" "is mounted read-only" "$(cat "$TMP/err")"
mount -o remount,rw "$STATE"
check_status "remounted writable: takes changes again by itself" 0 wait_until created "Sở Xây dựng"
stop_khoad

done_testing
