#!/usr/bin/env bash
# A daily replay against the evaluation it repeats, in one run: N generated
# incidents (default 10,000, dated over the 500 days before their `now`)
# replayed over two years (731 days) with `--format json`, and one
# `rung eval --format json` of the same facts, both whole processes.
#
#   bash benches/replay.sh [N]
#
# Prints instructions (callgrind: steady on a shared machine) and the
# wall-time ratio (hyperfine medians over short alternating rounds, as in
# benches/e2e.sh): the replay's cost in evaluations of the facts.
set -euo pipefail

n="${1:-10000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/rung-replay"
mkdir -p "$work"
cd "$root"
cargo build --release --quiet --bin rung --example gen_facts
target="${CARGO_TARGET_DIR:-$root/target}/release"
facts="$work/facts-$n.json"
"$target/examples/gen_facts" "$n" >"$facts"
now=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['now'])" "$facts")
from=$(python3 -c "import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) - datetime.timedelta(days=730))" "$now")
eval_cmd=("$target/rung" eval policies/nato --facts "$facts" --format json)
replay_cmd=("$target/rung" replay policies/nato --facts "$facts" --from "$from" --to "$now" --format json)

instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
    | awk '/refs:/ {gsub(",", "", $NF); print $NF}'
}
ie=$(instructions "${eval_cmd[@]}")
ir=$(instructions "${replay_cmd[@]}")
python3 -c "print(f'instructions: eval {$ie/1e6:.1f} M, replay of 731 days {$ir/1e6:.1f} M: {$ir/$ie:.1f} evaluations')"

# shellcheck source=benches/support/rounds.sh
source "$root/benches/support/rounds.sh"
ROUNDS="${ROUNDS:-5}" RUNS="${RUNS:-3}" ratio_rounds wall replay "${replay_cmd[*]}" eval "${eval_cmd[*]}"
# CPU time (user + system) over the same rounds: steadier than wall time on
# a virtual machine whose short runs wait on page faults.
python3 - "$work" "${ROUNDS:-5}" <<'PY'
import json, statistics as st, sys
work, rounds = sys.argv[1], int(sys.argv[2])
cpu = {"replay": [], "eval": []}
for r in range(1, rounds + 1):
    for x in json.load(open(f"{work}/round-{r}.json"))["results"]:
        cpu[x["command"]].append(x["user"] + x["system"])
a, b = st.median(cpu["replay"]), st.median(cpu["eval"])
print(f"cpu: replay median {a*1e3:.1f} ms, eval median {b*1e3:.1f} ms: {a/b:.1f} evaluations")
PY
