#!/usr/bin/env bash
# Every error khoa can print, in Vietnamese (issue 17): the real client
# against a stand-in for khoad that answers with each error of the
# interfaces, each reason of proto/reasons.c (speaks.py says how).
# Nothing here depends on the registry: once, on SQLite.
if [ "${KHOA_TEST_REGISTRY:-}" = postgresql ]; then
	echo "1..0 # SKIP the same on a PostgreSQL registry"
	exit 0
fi
. "$(dirname "$0")/lib.sh"

while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done < <(python3 "$SOURCE_ROOT/tests/integration/speaks.py" "$KHOA" "$SOURCE_ROOT" "$TMP" ||
	echo "not ok - speaks.py exited with $?")

done_testing
