#!/bin/sh
# Builds fuzz/corpus/TARGET/ from the repository's own inputs: policies,
# test cases, example facts, tables and scripted REPL sessions. Run from
# anywhere; the corpus is not committed (libFuzzer grows it as it runs).
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz")
corpus="$fuzz/corpus"
mkdir -p "$corpus/parse_check" "$corpus/parse_direct" "$corpus/fmt_roundtrip" "$corpus/facts_json" \
    "$corpus/tables_csv" "$corpus/repl_lines" "$corpus/eval"

n=0
# Policy text: every .rung file (syntax-error cases included).
find "$repo/policies" "$repo/tests" -name '*.rung' | sort | while read -r f; do
    n=$((n + 1))
    cp "$f" "$corpus/parse_check/rung-$n"
    cp "$f" "$corpus/parse_direct/rung-$n"
    cp "$f" "$corpus/fmt_roundtrip/rung-$n"
done

# Facts: every JSON document (the NATO examples and the tests' facts).
find "$repo/policies" "$repo/tests" -name '*.json' -not -path '*/snapshots/*' | sort | while read -r f; do
    n=$((n + 1))
    cp "$f" "$corpus/facts_json/json-$n"
done

# Tables: the first byte picks the fact (bit 0: incidents or prior_responses)
# and the separator (bits 1-2: detect, `,`, `;`, tab); see tables_csv.rs.
find "$repo/policies" "$repo/tests" \( -name '*.csv' -o -name '*.tsv' \) | sort | while read -r f; do
    n=$((n + 1))
    case "$f" in
        *prior*) mode='\001' ;;
        *) mode='\000' ;;
    esac
    { printf "$mode"; cat "$f"; } > "$corpus/tables_csv/table-$n"
done

# REPL: each scripted session's lines, without the ones that read the disk
# (the target skips those; the session starts with the NATO doctrine and
# the Albania facts already loaded).
for f in "$repo"/tests/repl/*.session; do
    grep -v -E '^[[:space:]]*:(load|reload|facts|table)\b' "$f" \
        > "$corpus/repl_lines/$(basename "$f" .session)"
done

# Generated inputs are bytes for `arbitrary`: any bytes seed them; a few
# fixed pseudo-random files of different lengths start the search off
# deeper than the empty input does.
if command -v python3 >/dev/null; then
    python3 - "$corpus/eval" <<'PY'
import random, sys
r = random.Random(14)
for i in range(64):
    with open(f"{sys.argv[1]}/random-{i}", "wb") as f:
        f.write(bytes(r.randrange(256) for _ in range(64 + 32 * i)))
PY
fi
for t in parse_check fmt_roundtrip facts_json tables_csv repl_lines eval; do
    printf '%-14s %s files\n' "$t" "$(ls "$corpus/$t" | wc -l)"
done
