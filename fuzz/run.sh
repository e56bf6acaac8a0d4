#!/bin/sh
# Runs fuzz targets one after another (the machine is shared: one at a
# time), each for SECONDS (default 600), logging to fuzz/logs/TARGET.log.
#
#     fuzz/run.sh [SECONDS] [TARGET...]
#
# Exactly what runs, per target:
#     RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none TARGET corpus/TARGET -- \
#         -max_total_time=SECONDS -timeout=10 -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1
# A crash or a timeout stops that target's run (its input is saved in
# fuzz/artifacts/TARGET/); the next target still runs.
set -u
cd "$(dirname "$0")"
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-eval parse_check parse_direct fmt_roundtrip facts_json tables_csv repl_lines}
[ -d corpus ] || ./seed_corpus.sh
mkdir -p logs
for t in $targets; do
    echo "== $t ($secs s) $(date -u +%H:%M:%S)"
    RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -max_len=8192 -rss_limit_mb=2048 \
        -print_final_stats=1 > "logs/$t.log" 2>&1
    echo "   exit $?: $(grep -E '^#[0-9]+' "logs/$t.log" | tail -1)"
done
