#!/usr/bin/env bash
# Whole-process comparison of `rung eval` with the hand-written typed-serde
# baseline (benches/support/baseline.rs) on N generated incidents (default
# 100,000), and of `rung check` on generated policies of 5,000 and 10,000 rules.
#
#   bash benches/e2e.sh [N]
#
# Asserts that both programs print the same JSON, then prints the wall-time
# ratio rung/baseline (hyperfine means; the runs alternate, so a busy machine
# slows both alike) and the peak-RSS ratio (/usr/bin/time -v, median of 5).
set -euo pipefail

n="${1:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/rung-e2e"
mkdir -p "$work"
cd "$root"

cargo build --release --quiet --bin rung --example baseline --example gen_facts --example gen_policy
target="${CARGO_TARGET_DIR:-$root/target}/release"
rung="$target/rung"
base="$target/examples/baseline"
facts="$work/facts-$n.json"

"$target/examples/gen_facts" "$n" >"$facts"
echo "facts: $n incidents, $(wc -c <"$facts") bytes"

"$rung" eval policies/nato --facts "$facts" --format json >"$work/rung.out"
"$base" "$facts" >"$work/baseline.out"
if ! cmp -s "$work/rung.out" "$work/baseline.out"; then
  echo "FAIL: rung and the baseline decide differently" >&2
  diff "$work/rung.out" "$work/baseline.out" | head -20 >&2
  exit 1
fi
echo "decisions: identical ($(grep -c '"ladder"' "$work/rung.out") decisions)"

hyperfine --warmup 2 --runs "${RUNS:-15}" -N --export-json "$work/hyperfine.json" \
  -n rung "$rung eval policies/nato --facts $facts --format json" \
  -n baseline "$base $facts" >/dev/null
python3 - "$work/hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
rung, base = r["rung"], r["baseline"]
print(f"wall: rung median {rung['median']*1e3:.0f} ms, baseline median {base['median']*1e3:.0f} ms, "
      f"ratio {rung['median']/base['median']:.2f} (means: {rung['mean']/base['mean']:.2f})")
PY

peak() { # median of 5 peak RSS readings, in KB
  for _ in 1 2 3 4 5; do
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'
  done | sort -n | sed -n 3p
}
pr=$(peak "$rung" eval policies/nato --facts "$facts" --format json)
pb=$(peak "$base" "$facts")
python3 -c "print(f'peak RSS: rung {$pr/1024:.1f} MB, baseline {$pb/1024:.1f} MB, ratio {$pr/$pb:.2f}')"

for rules in 5000 10000; do
  "$target/examples/gen_policy" "$rules" "$work/policy-$rules"
done
hyperfine --warmup 1 --runs "${RUNS:-15}" -N --export-json "$work/check.json" \
  -n 5000 "$rung check $work/policy-5000" \
  -n 10000 "$rung check $work/policy-10000" >/dev/null
python3 - "$work/check.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
a, b = r["5000"]["median"], r["10000"]["median"]
print(f"rung check: 5,000 rules {a*1e3:.1f} ms, 10,000 rules {b*1e3:.1f} ms (ratio {b/a:.2f}; 2.00 is linear)")
PY
