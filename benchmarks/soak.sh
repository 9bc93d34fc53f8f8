#!/usr/bin/env bash
# A soak run: a fresh example pool under steady load for a long time (default one hour), with the
# pool's heap, RSS and threads sampled from /stats every 15 s into a CSV, then the load generator's
# report and a summary of the samples. Usage:
#   benchmarks/soak.sh [SECONDS] [CSV]     # defaults: 3600, ./soak-samples.csv
# Load: 3,000 connections, 2,000 submits/s, a new block every 30 s, shares rejected (random nonces)
# and, with --share-log, nothing else on disk. Environment: POOL_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=stratum-examples/target/stratum-example-pool.jar
if [[ ! -f $jar ]]; then
  ./mvnw -q -pl stratum-examples -am package -DskipTests
fi
seconds=${1:-3600}
csv=${2:-soak-samples.csv}
port=${PORT:-13334}
stats=${STATS_PORT:-18081}
ulimit -n 20000 2>/dev/null || true
# shellcheck disable=SC2086
java ${POOL_JAVA_OPTS:-} -jar "$jar" --bind 127.0.0.1 --port "$port" --stats-port "$stats" --mode pool \
  --payout-address bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms --difficulty 1024 --vardiff off --ban-threshold 0 \
  --demo-block-interval 30 > "${TMPDIR:-/tmp}/stratum4j-soak-pool.log" 2>&1 &
pool=$!
sampler=
trap 'kill $pool $sampler 2>/dev/null; wait $pool 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$stats/health" > /dev/null 2>&1 && break
  sleep 0.2
done
echo "soak: $seconds s, $(java -version 2>&1 | head -1), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "elapsed_s,connections,heap_used_bytes,rss_bytes,threads,heap_after_gc_bytes" > "$csv"
(
  start=$(date +%s)
  while true; do
    body=$(curl -sf "http://127.0.0.1:$stats/stats" || true)
    if [[ -n $body ]]; then
      conns=$(grep -o '"connections" : [0-9]*' <<< "$body" | head -1 | grep -o '[0-9]*$')
      heap=$(grep -o '"heap_used_bytes" : [0-9]*' <<< "$body" | grep -o '[0-9]*$')
      rss=$(grep -o '"rss_bytes" : [0-9]*' <<< "$body" | grep -o '[0-9]*$')
      threads=$(grep -o '"threads" : [0-9]*' <<< "$body" | grep -o '[0-9]*$')
      aftergc=$(grep -o '"heap_after_gc_bytes" : -*[0-9]*' <<< "$body" | grep -o '\-*[0-9]*$')
      echo "$(( $(date +%s) - start )),$conns,$heap,$rss,$threads,$aftergc" >> "$csv"
    fi
    sleep 15
  done
) &
sampler=$!
java -cp "$jar" org.stratum4j.examples.loadgen.LoadGenMain --url "stratum+tcp://127.0.0.1:$port" \
  --stats-url "http://127.0.0.1:$stats/stats" --connections 3000 --processes 2 --rate 2000 \
  --warmup-seconds 30 --seconds "$seconds"
kill $sampler 2>/dev/null || true
# Heap in use moves with each young collection; the bar is that what is left after collections does not
# climb: compare each quarter of the run.
awk -F, 'NR > 1 { n++; e[n] = $1; h[n] = $3; r[n] = $4; t[n] = $5; g[n] = $6 }
  END {
    if (n < 4) { print "too few samples"; exit }
    q = int(n / 4)
    for (k = 0; k < 4; k++) {
      lo = -1; rmax = 0; tmax = 0; gmax = 0
      for (i = k * q + 1; i <= (k + 1) * q; i++) {
        if (lo < 0 || h[i] < lo) lo = h[i]
        if (g[i] > gmax) gmax = g[i]
        if (r[i] > rmax) rmax = r[i]
        if (t[i] > tmax) tmax = t[i]
      }
      printf "quarter %d (to %d s): lowest heap in use %.1f MiB, highest heap after a collection %.1f MiB, highest RSS %.1f MiB, most threads %d\n",
        k + 1, e[(k + 1) * q], lo / 1048576, gmax / 1048576, rmax / 1048576, tmax
    }
  }' "$csv"
