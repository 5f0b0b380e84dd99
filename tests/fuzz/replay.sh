#!/usr/bin/env bash
# replay.sh TARGET DIR...: runs the libFuzzer TARGET once on every file of
# the DIRs (a seed corpus), without fuzzing or writing anything; fails when
# one of them crashes it. meson test --suite fuzz (tests/fuzz/meson.build).
set -euo pipefail
target=$1
shift
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mapfile -d '' files < <(find "$@" -type f -print0 | sort -z)
[ ${#files[@]} -gt 0 ] || { echo "replay.sh: no input in $*" >&2; exit 1; }
# libFuzzer's exit status on a crash, 77, is what meson takes for a skip
exec "$target" -rss_limit_mb=1024 -timeout=25 -error_exitcode=1 -timeout_exitcode=1 "${files[@]}"
