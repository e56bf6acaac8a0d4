# Sourced by the benchmark scripts; expects `$work` (a scratch directory).
#
# On a shared machine the load drifts during a long run: hyperfine is run in
# ROUNDS short rounds, each timing both programs, and the ratio reported is
# the median of the rounds' ratios.
ratio_rounds() { # label name-a cmd-a name-b cmd-b
  for r in $(seq "${ROUNDS:-10}"); do
    hyperfine --warmup 1 --runs "${RUNS:-5}" -N --export-json "$work/round-$r.json" \
      -n "$2" "$3" -n "$4" "$5" >/dev/null 2>&1
  done
  python3 - "$work" "${ROUNDS:-10}" "$2" "$4" "$1" <<'PY'
import json, statistics as st, sys
work, rounds, a, b, label = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ra, rb = [], []
for r in range(1, rounds + 1):
    res = {x["command"]: x["median"] for x in json.load(open(f"{work}/round-{r}.json"))["results"]}
    ra.append(res[a]); rb.append(res[b])
ratios = [x / y for x, y in zip(ra, rb)]
print(f"{label}: {a} median {st.median(ra)*1e3:.1f} ms, {b} median {st.median(rb)*1e3:.1f} ms; "
      f"ratio {a}/{b}: median {st.median(ratios):.2f} (rounds: {min(ratios):.2f} to {max(ratios):.2f})")
PY
}
