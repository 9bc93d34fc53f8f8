#!/usr/bin/env bash
# Pool CPU per core (BENCHMARKS.md): the pool pinned to core 0, the load generator to core 1, and the
# pool's CPU time read from /proc over 30 s of the steady run.
#   benchmarks/per-core.sh RATE [CONNECTIONS] [DIFFICULTY] [MORE_POOL_FLAGS]
#   benchmarks/per-core.sh 40000                                  # refused shares (validation path)
#   benchmarks/per-core.sh 8000 4000 0.0000000001 "--share-log /tmp/s.jsonl"   # accepted and logged
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:?"submits per second"}
conns=${2:-4000}
diff=${3:-1024}
extra=${4:-}
[[ $(nproc) -ge 2 ]] || { echo "needs two cores (one for the pool, one for the load generator)" >&2; exit 2; }
jar=stratum-examples/target/stratum-example-pool.jar
if [[ ! -f $jar ]]; then
  ./mvnw -q -pl stratum-examples -am package -DskipTests
fi
work=$(mktemp -d /tmp/stratum4j-per-core.XXXXXX)
cp "$jar" "$work/pool.jar"
# shellcheck disable=SC2086
taskset -c 0 java -jar "$work/pool.jar" --bind 127.0.0.1 --port 13333 --stats-port 18080 --mode pool \
  --payout-address bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms --difficulty "$diff" --vardiff-min "$diff" --vardiff off \
  --ban-threshold 0 --max-connections 20000 $extra >"$work/pool.log" 2>&1 &
pool=$!
trap 'kill $pool 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:18080/health >/dev/null; do
  kill -0 $pool 2>/dev/null || { cat "$work/pool.log"; exit 1; }
  sleep 0.2
done
taskset -c 1 java -cp "$work/pool.jar" org.stratum4j.examples.loadgen.LoadGenMain --url stratum+tcp://127.0.0.1:13333 \
  --connections "$conns" --processes 1 --rate "$rate" --warmup-seconds 15 --seconds 40 --idle-seconds 3 >"$work/loadgen.log" 2>&1 &
loadgen=$!
sleep 30 # connecting, 3 s idle, 15 s warm-up: steady from about 20 s
t0=$(awk '{print $14 + $15}' /proc/$pool/stat); s0=$(date +%s.%N)
sleep 30
t1=$(awk '{print $14 + $15}' /proc/$pool/stat); s1=$(date +%s.%N)
wait $loadgen || true
echo "rate $rate, $conns connections, difficulty $diff $extra: pool CPU $(echo "scale=3; ($t1 - $t0) / $(getconf CLK_TCK) / ($s1 - $s0)" | bc) of a core"
grep -E "submits:|round trip" "$work/loadgen.log"
