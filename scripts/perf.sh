#!/usr/bin/env bash
# Whole-process and console measurements of crm for the table in docs/performance.md.
#
# usage: scripts/perf.sh [CUSTOMERS...]          (default: 10000 100000)
#
# env:   CRM_BIN   the binary to measure (default: target/release/crm; build it first with
#                  `cargo build --release`). It is copied once, so a rebuild during the run
#                  does not change what is measured.
#        PERF_DIR  where books and results go (default /tmp/crm-perf)
#        AS_OF     the as-of date of every command (default: today)
#        RUNS      hyperfine runs per command (default 30)
#        SKIP_FZF  set to 1 to skip the fzf comparison
#        FRESH     set to 1 to regenerate the books even when one for this binary exists
#
# needs: hyperfine, fzf, python3, taskset, rustc (apt-get install -y hyperfine fzf)
# prints one block per size; raw JSON stays in $PERF_DIR/results/<N>/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
bin_src=${CRM_BIN:-$repo/target/release/crm}
perf=${PERF_DIR:-/tmp/crm-perf}
as_of=${AS_OF:-$(date +%F)}
runs=${RUNS:-30}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)

for tool in hyperfine python3 taskset rustc; do
    command -v "$tool" >/dev/null || { echo "perf.sh: $tool is not installed" >&2; exit 1; }
done
[ -x "$bin_src" ] || { echo "perf.sh: no binary at $bin_src (cargo build --release)" >&2; exit 1; }

mkdir -p "$perf/results"
crm=$perf/crm
cp "$bin_src" "$crm.new" && mv "$crm.new" "$crm"
bin_id=$(sha256sum "$crm" | cut -c1-16)
rustc -O -C target-cpu=native "$here/membw.rs" -o "$perf/membw" 2>/dev/null

machine() {
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
        "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
    echo "binary: $bin_src (sha256 $bin_id), as of $as_of"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

machine | tee "$perf/results/machine.txt"
echo "memory bandwidth (1 core, 512 MiB sequential read): $("$perf/membw" 512 | tr '\n' ' ')" \
    | tee "$perf/results/membw.txt"

for n in "${sizes[@]}"; do
    book=$perf/book-$n
    out=$perf/results/$n
    mkdir -p "$out"
    echo
    echo "== $n customers (load $(load))"
    if [ "${FRESH:-0}" = 1 ] || [ "$(cat "$book/.perf-bin" 2>/dev/null)" != "$bin_id" ]; then
        rm -rf "$book"
        /usr/bin/time -f "demo: %e s wall, %U s user, %S s sys, max RSS %M KiB" \
            "$crm" --data "$book" --as-of "$as_of" demo --customers "$n" --seed 42 \
            2> >(grep -v '^generating' | tee "$out/demo.txt" >&2)
        echo "$bin_id" > "$book/.perf-bin"
    fi
    echo "book on disk: $(du -sh --exclude=.perf-bin "$book" | cut -f1)" | tee "$out/disk.txt"

    # An id from the middle of the book, found the way a user would.
    id=$("$crm" --data "$book" --as-of "$as_of" find anderson --json \
        | python3 -c 'import json,sys; hits=json.load(sys.stdin); print(hits[len(hits)//2]["id"])')

    # `crm find` and `crm show` as whole processes; output goes to /dev/null (a pipe or a
    # terminal would add the cost of the reader). user+sys is reported beside wall time.
    hf() {
        local name=$1; shift
        hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$out/$name.json" "$@" \
            >/dev/null 2>&1 || { echo "perf.sh: hyperfine failed on: $*" >&2; return 1; }
        python3 - "$out/$name.json" "$name" "$(load)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
ms = lambda s: f"{s * 1000:7.1f}"
print(f"{sys.argv[2]:22} median {ms(r['median'])} ms  min {ms(r['min'])}  "
      f"user+sys {ms(r['user'] + r['system'])} ms   (load {sys.argv[3]})")
PY
    }
    hf version "$crm --version"
    hf find_3plus "$crm --data $book --as-of $as_of find anderson"
    hf find_1char "$crm --data $book --as-of $as_of find a"
    hf find_cjk "$crm --data $book --as-of $as_of find 华信"
    hf find_typo "$crm --data $book --as-of $as_of find jonhson"
    hf show "$crm --data $book --as-of $as_of show $id"
    hf show_json "$crm --data $book --as-of $as_of show $id --json"

    echo "-- console (120x40 pty; load $(load))"
    python3 "$here/console_probe.py" --bin "$crm" --data "$book" --as-of "$as_of" \
        --json "$out/console.json"
    if [ "${SKIP_FZF:-0}" != 1 ]; then
        echo "-- fzf vs crm, per keystroke, both pinned to cpu 1 (load $(load))"
        python3 "$here/fzf_compare.py" --bin "$crm" --data "$book" --as-of "$as_of" \
            --json "$out/fzf.json"
    fi
    cp "$perf/results/membw.txt" "$perf/results/machine.txt" "$out/"
    python3 "$here/perf_report.py" "$out"
done
