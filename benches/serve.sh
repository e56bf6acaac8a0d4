#!/usr/bin/env bash
# The bars of `rung serve`, measured on loopback with the release build:
#
#   1. decisions/s and p50/p99 on the 10-incident facts with 4 connections
#      (benches/bin/load.rs, bounded in count and time), and the server's
#      resident memory sampled over those requests (100,000 by default);
#   2. a 100,000-incident body through /v1/decide against the whole process
#      `rung eval --format json` on the same file (medians of RUNS alternating
#      rounds; curl streams the file with `-T` (`--data-binary @FILE` first
#      reads it all into memory, which costs curl 75-105 ms here) and without
#      `Expect: 100-continue`, which waits for the server's go-ahead).
#
# SKIP_BUILD=1 uses the release binaries as they are.
#
#   bash benches/serve.sh            # REQUESTS=100000 RUNS=9 PORT=18181
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/rung-serve-bench"
requests="${REQUESTS:-100000}"
runs="${RUNS:-9}"
port="${PORT:-18181}"
mkdir -p "$work"
cd "$root"

if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --quiet --bin rung --example load --example gen_facts
fi
target="${CARGO_TARGET_DIR:-$root/target}/release"
"$target/examples/gen_facts" 10 >"$work/facts-10.json"
"$target/examples/gen_facts" 100000 >"$work/facts-100000.json"

"$target/rung" serve policies/nato --addr "127.0.0.1:$port" --max-body 64MiB 2>"$work/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done

echo "== 1. 10 incidents, 4 connections, $requests requests"
"$target/examples/load" --addr "127.0.0.1:$port" --facts "$work/facts-10.json" \
  --connections 4 --requests "$requests" --seconds 120 --pid "$server"

echo "== 2. 100,000 incidents ($(wc -c <"$work/facts-100000.json") bytes): service vs whole process"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Alternating rounds, so that a machine busy with other work slows both alike.
: >"$work/cli.ms"
: >"$work/http.ms"
for _ in $(seq "$runs"); do
  s=$(date +%s%N)
  "$target/rung" eval policies/nato --facts "$work/facts-100000.json" --format json >"$work/cli.json"
  echo $(( ($(date +%s%N) - s) / 1000000 )) >>"$work/cli.ms"
  s=$(date +%s%N)
  curl -sf -H 'Expect:' -X POST -T "$work/facts-100000.json" "http://127.0.0.1:$port/v1/decide" -o "$work/http.json"
  echo $(( ($(date +%s%N) - s) / 1000000 )) >>"$work/http.ms"
done
cli=$(median <"$work/cli.ms")
http=$(median <"$work/http.ms")
cmp "$work/cli.json" "$work/http.json"
echo "rung eval (whole process): ${cli} ms; POST /v1/decide (curl): ${http} ms; ratio $(awk "BEGIN {printf \"%.2f\", $http / $cli}")"

