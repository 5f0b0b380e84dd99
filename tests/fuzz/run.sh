#!/usr/bin/env bash
# run.sh BUILD SECONDS [TARGET...]: fuzzes each target (default: all of
# tests/fuzz) built in BUILD for SECONDS, one after the other, starting from
# a copy of its seed corpus in a temporary directory (the corpus of the
# repository is not written). Fails when a target crashes; its input is
# kept in BUILD/fuzz-artifacts/ and the command to replay it is printed.
# docs/fuzzing.md; contrib/dev/check runs it for a few seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD SECONDS [TARGET...]}
seconds=${2:?usage: run.sh BUILD SECONDS [TARGET...]}
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decoder message params validate)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
work=$(mktemp -d /tmp/khoa-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

failed=0
for t in "${targets[@]}"; do
	exe=$build/tests/fuzz/fuzz-$t
	[ -x "$exe" ] || { echo "run.sh: no $exe (meson setup -Dfuzz=enabled, docs/fuzzing.md)" >&2; exit 1; }
	dict=$here/varlink.dict
	[ "$t" = validate ] && dict=$here/validate.dict
	mkdir "$work/$t"
	cp "$here/corpus/$t/"* "$work/$t/"
	log=$work/$t.log
	if "$exe" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -dict="$dict" \
		-print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$work/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
		echo "fuzz-$t: ${runs:-?} runs in ${seconds} s, ${cov:-cov: ?}," \
			"corpus $(ls "$work/$t" | wc -l) inputs, no crash"
	else
		failed=1
		grep -E '^(==[0-9]+==|SUMMARY|.*invariant broken)' "$log" | head -20 >&2 || true
		tail -5 "$log" >&2
		found=$(sed -n "s/.*Test unit written to \(.*\)/\1/p" "$log" | tail -1)
		echo "fuzz-$t: CRASHED; replay: $exe ${found:-(see the log above)}" >&2
	fi
done
exit $failed
