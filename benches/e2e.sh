#!/usr/bin/env bash
# Whole-process comparison of `rung eval` with the hand-written typed-serde
# baseline (benches/support/baseline.rs) on N generated incidents (default
# 100,000), and of `rung check` on generated policies of 5,000 and 10,000 rules.
#
#   bash benches/e2e.sh [N]
#
# Asserts that both programs print the same JSON, then prints the wall-time
# ratio rung/baseline (hyperfine medians over short alternating rounds, so a
# busy machine slows both alike) and the peak-RSS ratio (/usr/bin/time -v,
# median of 5). ROUNDS and RUNS (per round) tune the timing.
set -euo pipefail

n="${1:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/rung-e2e"
mkdir -p "$work"
cd "$root"

cargo build --release --quiet --bin rung --example baseline --example gen_facts --example gen_policy
target="${CARGO_TARGET_DIR:-$root/target}/release"
rung="${RUNG:-$target/rung}" # RUNG=path measures another build of rung
base="$target/examples/baseline"
facts="$work/facts-$n.json"

"$target/examples/gen_facts" "$n" >"$facts"
echo "facts: $n incidents, $(wc -c <"$facts") bytes"

# rung's document also names the policy and rung's version; the decisions
# must be byte-identical to the baseline's.
"$rung" eval policies/nato --facts "$facts" --format json \
  | grep -v -e '^  "policy_digest": ' -e '^  "rung_version": ' >"$work/rung.out"
"$base" "$facts" >"$work/baseline.out"
if ! cmp -s "$work/rung.out" "$work/baseline.out"; then
  echo "FAIL: rung and the baseline decide differently" >&2
  diff "$work/rung.out" "$work/baseline.out" | head -20 >&2
  exit 1
fi
echo "decisions: identical ($(grep -c '"ladder"' "$work/rung.out") decisions)"

# shellcheck source=benches/support/rounds.sh
source "$root/benches/support/rounds.sh"
ratio_rounds wall rung "$rung eval policies/nato --facts $facts --format json" baseline "$base $facts"

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
ratio_rounds "rung check" 10000-rules "$rung check $work/policy-10000" 5000-rules "$rung check $work/policy-5000"
echo "(a ratio of 2.00 is linear)"
