# Shared by the benchmarks: whole processes timed in interleaved rounds.
# Source it after setting HYPERFINE (a hyperfine binary, or empty for the
# python3 timer), RUNS and TMP; it sets CLOCK (how the times were taken).

if [[ -n $HYPERFINE ]]; then
    CLOCK="hyperfine $("$HYPERFINE" --version | awk '{print $2}') (-N, --runs 1 per round, --warmup 3 in round 1)"
else
    CLOCK="python3 os.posix_spawn + time.perf_counter_ns (no hyperfine; 3 warm-up runs each)"
fi

# time_group GROUP OUT "label<TAB>argv" ...: RUNS interleaved rounds of the
# commands (A B C D, then D C B A, ...: drift and background load hit every
# command alike), output to /dev/null; "GROUP<TAB>label<TAB>seconds" lines
# appended to OUT.
time_group() {
    local group=$1 out=$2 r j c
    shift 2
    local -a cmds=("$@") order args
    if [[ -n $HYPERFINE ]]; then
        rm -rf "$TMP/hf" && mkdir -p "$TMP/hf"
        for ((r = 1; r <= RUNS; r++)); do
            args=(-N --runs 1 --style none --output null --export-json "$TMP/hf/$r.json")
            ((r == 1)) && args+=(--warmup 3)
            order=("${cmds[@]}")
            if ((r % 2 == 0)); then
                order=()
                for ((j = ${#cmds[@]} - 1; j >= 0; j--)); do order+=("${cmds[j]}"); done
            fi
            for c in "${order[@]}"; do args+=(-n "${c%%$'\t'*}" "${c#*$'\t'}"); done
            "$HYPERFINE" "${args[@]}" >/dev/null
        done
        python3 - "$TMP/hf" "$RUNS" "$group" >>"$out" <<'EOF'
import json, sys
for r in range(1, int(sys.argv[2]) + 1):
    for res in json.load(open(f"{sys.argv[1]}/{r}.json"))["results"]:
        for t in res["times"]:
            print(f"{sys.argv[3]}\t{res['command']}\t{t!r}")
EOF
    else
        printf '%s\n' "${cmds[@]}" >"$TMP/cmds.tsv"
        python3 - "$RUNS" "$TMP/cmds.tsv" "$group" >>"$out" <<'EOF'
import os, sys, time
runs, group = int(sys.argv[1]), sys.argv[3]
cmds = [l.rstrip("\n").split("\t", 1) for l in open(sys.argv[2]) if l.strip()]
cmds = [(n, a.split(" ")) for n, a in cmds]
fa = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
      (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
      (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)]
def once(argv):
    t = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=fa)
    _, st = os.waitpid(pid, 0)
    dt = time.perf_counter_ns() - t
    if os.waitstatus_to_exitcode(st) != 0:
        sys.exit(f"command failed: {' '.join(argv)}")
    return dt / 1e9
for _ in range(3):
    for n, a in cmds:
        once(a)
for r in range(1, runs + 1):
    for n, a in (cmds if r % 2 else cmds[::-1]):
        print(f"{group}\t{n}\t{once(a)!r}")
EOF
    fi
}
