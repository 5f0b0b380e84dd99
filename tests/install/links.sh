#!/usr/bin/env bash
# What khoa links (DESIGN.md "Forms and printing"): json-c, libsmartcols and
# libc, so that it starts like a small C program. The PDF stack (cairo,
# pango and what they pull in: glib, fontconfig, X11) is the print helper's,
# khoa-print; libsystemd is loaded by khoa tray only when it first
# notifies, libunistring by khoa tokens --holder when it first folds a name
# (khoa reads khoad's answers with json-c's UTF-8 check; khoad's own input
# gets libunistring's stricter one). readelf's NEEDED entries are what the
# binary itself asks for (ldd would add their own dependencies; these three
# need only libc).
#
# Environment (tests/install/meson.build): KHOA, KHOA_PRINT_HELPER.

# shellcheck source=../integration/lib.sh
. "$SOURCE_ROOT/tests/integration/lib.sh"

needed() {	# needed FILE: its NEEDED libraries, sorted, one line
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//'
}
# A build with -Db_sanitize adds the sanitizers' run-time libraries.
sanitizers='^lib(a|ub|l|t)san\.so'
own_needed() {
	needed "$1" | tr ' ' '\n' | grep -Ev "$sanitizers" | tr '\n' ' ' | sed 's/ $//'
}

if ! command -v readelf >/dev/null; then
	echo "1..0 # SKIP readelf (binutils) is not installed"
	exit 0
fi

check_eq "khoa needs json-c, libsmartcols and libc, nothing else" \
	"libc.so.6 libjson-c.so.5 libsmartcols.so.1" "$(own_needed "$KHOA")"
# Said apart, so that a failure names what came back.
for lib in libcairo libpango libpangocairo libglib libgobject libfontconfig libX11 \
	libsystemd libunistring; do
	case " $(needed "$KHOA") " in
	*" $lib"[.-]*) not_ok "khoa does not link $lib" ;;
	*) ok "khoa does not link $lib" ;;
	esac
done
# ldd: the whole closure, vDSO and loader included.
if [ "$(own_needed "$KHOA")" = "$(needed "$KHOA")" ]; then
	check_eq "ldd khoa lists 5 entries (the 3 libraries, the vDSO, the loader)" 5 \
		"$(ldd "$KHOA" | wc -l)"
else
	ok "ldd khoa # SKIP a sanitizer build links its run-time libraries"
fi
check_contains "khoa-print links cairo" "libcairo.so" "$(needed "$KHOA_PRINT_HELPER")"
check_contains "khoa-print links pango's cairo renderer" "libpangocairo-1.0.so" \
	"$(needed "$KHOA_PRINT_HELPER")"

done_testing
