#!/usr/bin/env bash
# Runs one load scenario against a fresh example pool on this machine and prints the load
# generator's report (see BENCHMARKS.md). Usage:
#   benchmarks/load.sh steady              # 9,000 connections, 8,000 submits/s, no block changes
#   benchmarks/load.sh blocks              # the same with a new block every 10 s
#   benchmarks/load.sh idle                # 19,000 idle connections held by one pool process
#   benchmarks/load.sh scale N             # N connections, 8,000 submits/s, a block every 10 s
#   benchmarks/load.sh twoblocks [N]       # N (9,000) connections, 8,000 submits/s, a 15 s window with two new
#                                          # blocks 3 s apart (at 5 and 8 s), made by the node the pool follows; one
#                                          # more block in the warm-up, as any pool that has run a while has seen one
# Environment: SECONDS_MEASURED (default 60), WARMUP (default 20), POOL_JAVA_OPTS (default @jvm.options, the README's
# launch flags; empty for the JVM's defaults) and POOL_MALLOC_ARENA_MAX (default 2; empty for glibc's), LOADGEN_JAVA_OPTS,
# POOL_ARGS (more pool flags, e.g. "--share-log /tmp/s.jsonl" or "--database postgresql://…"),
# POOL_DIFFICULTY (default 1024; 0.0000000001 makes every random share acceptable),
# PROTOCOL (v1, default, or v2: the generator's connections speak Stratum V2 to a --sv2-port),
# PIN=1 (the pool on core 0 and the generator on core 1, with taskset, so that neither waits for the other's CPU),
# POOL_JAR (run this build of the pool, an older one say, under this build's generator and demo node),
# BLOCKS_AT (twoblocks: when the node makes blocks, in seconds from the window's start; default -10,5,8),
# VIA_PROXY=1 (the generator's miners connect to a mining proxy, ProxyMain, in front of the pool:
# one upstream connection; /stats and memory figures are then the proxy's; PROXY_JAVA_OPTS).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=stratum-examples/target/stratum-example-pool.jar
if [[ ! -f $jar ]]; then
  ./mvnw -q -pl stratum-examples -am package -DskipTests
fi
# Run a copy: a rebuild while the pool runs would replace its classes under it.
run_jar="${TMPDIR:-/tmp}/stratum4j-load-pool-$$.jar"
cp "${POOL_JAR:-$jar}" "$run_jar"
gen_jar="${TMPDIR:-/tmp}/stratum4j-load-gen-$$.jar"
cp "$jar" "$gen_jar"
jar=$gen_jar
scenario=${1:?"scenario: steady, blocks, idle, scale N or twoblocks [N]"}
# 1024: the generator's random nonces are all refused (23), the validation path under load. 1e-10:
# every hash meets the target, so every share is accepted (and stored, with --share-log or --database).
difficulty=${POOL_DIFFICULTY:-1024}
measured=${SECONDS_MEASURED:-60}
warmup=${WARMUP:-20}
port=${PORT:-13333}
stats=${STATS_PORT:-18080}
pool_args=(--bind 127.0.0.1 --port "$port" --stats-port "$stats" --mode pool
  --payout-address bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms --difficulty "$difficulty" --vardiff-min "$difficulty" --vardiff off
  --ban-threshold 0 --max-connections 20000)
load_args=(--warmup-seconds "$warmup" --seconds "$measured")
pool_cpu=(); gen_cpu=()
if [[ ${PIN:-0} == 1 ]]; then pool_cpu=(taskset -c 0); gen_cpu=(taskset -c 1); fi
stats_url="http://127.0.0.1:$stats/stats"
protocol=${PROTOCOL:-v1}
pool_log="${TMPDIR:-/tmp}/stratum4j-load-pool.log"
if [[ $protocol == v2 ]]; then
  pool_args+=(--sv2-port "${SV2_PORT:-13334}" --sv2-authority-key "${TMPDIR:-/tmp}/stratum4j-load-sv2-authority.key")
  # Each V2 connection costs a handshake on both sides (about 0.4 ms of CPU each, on the same two cores): arrive at 1,000/s.
  load_args+=(--connect-rate "${CONNECT_RATE:-1000}")
fi
case $scenario in
  steady) load_args+=(--connections 9000 --processes 2 --rate 8000) ;;
  blocks) pool_args+=(--demo-block-interval 10); load_args+=(--connections 9000 --processes 2 --rate 8000) ;;
  idle) load_args+=(--connections 19000 --processes 2 --rate 0 --warmup-seconds 0 --seconds 10) ;;
  scale)
    n=${2:?"scale needs a connection count"}
    # At least two generator processes (two reading threads, one per core), at most 9,000 connections each.
    p=$(( (n + 8999) / 9000 )); if (( p < 2 )); then p=2; fi
    pool_args+=(--demo-block-interval 10); load_args+=(--connections "$n" --processes "$p" --rate 8000) ;;
  twoblocks)
    # As one would measure any pool: it follows a node (the demo chain behind JSON-RPC, as Bitcoin Core in
    # regtest) and the node's generatetoaddress makes the blocks, so the same script drives any pool.
    n=${2:-9000}
    p=$(( (n + 8999) / 9000 )); if (( p < 2 )); then p=2; fi
    node_port=${NODE_PORT:-18443}
    java -cp "$jar" org.stratum4j.examples.demo.DemoNodeMain --port "$node_port" > "${TMPDIR:-/tmp}/stratum4j-load-node.log" 2>&1 &
    node=$!
    for _ in $(seq 1 100); do
      curl -sf --user demo:demo -d '{"id":0,"method":"getblockchaininfo","params":[]}' "http://127.0.0.1:$node_port/" > /dev/null 2>&1 && break
      sleep 0.2
    done
    pool_args+=(--chain bitcoind --rpc-url "http://127.0.0.1:$node_port/" --rpc-user demo --rpc-password demo)
    measured=${SECONDS_MEASURED:-15}
    load_args=(--warmup-seconds "$warmup" --seconds "$measured" --connections "$n" --processes "$p" --rate 8000 --new-blocks-at "${BLOCKS_AT:--10,5,8}"
      --new-block-command "curl -sf --user demo:demo -d '{\"id\":1,\"method\":\"generatetoaddress\",\"params\":[1,\"bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms\"]}' http://127.0.0.1:$node_port/") ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
node=${node:-}
# shellcheck disable=SC2206
pool_args+=(${POOL_ARGS:-})
# One pool process holds up to 20,000 open files here; ask for them.
ulimit -n 20000 2>/dev/null || true
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=${POOL_MALLOC_ARENA_MAX-2} "${pool_cpu[@]}" java ${POOL_JAVA_OPTS-@jvm.options} -jar "$run_jar" "${pool_args[@]}" > "$pool_log" 2>&1 &
pool=$!
trap 'kill $pool $node 2>/dev/null; wait $pool $node 2>/dev/null || true; rm -f "$run_jar" "$gen_jar"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$stats/health" > /dev/null 2>&1 && break
  sleep 0.2
done
if ! kill -0 "$pool" 2>/dev/null; then
  echo "the pool did not start:" >&2
  cat "$pool_log" >&2
  exit 1
fi
url="stratum+tcp://127.0.0.1:$port"
if [[ $protocol == v2 ]]; then
  # The V2 URL carries the pool's authority key, which the banner prints.
  url=$(grep -o 'stratum2+tcp://[^ ]*' "$pool_log" | head -1)
fi
if [[ ${VIA_PROXY:-0} == 1 ]]; then
  if [[ $protocol == v2 ]]; then
    echo "VIA_PROXY serves Stratum V1 miners; use PROTOCOL=v1" >&2
    exit 2
  fi
  proxy_port=${PROXY_PORT:-13335}
  proxy_stats=${PROXY_STATS_PORT:-18081}
  proxy_log="${TMPDIR:-/tmp}/stratum4j-load-proxy.log"
  # The proxy judges at the pool's difficulty, never bans, and mines upstream as the pool's payout address.
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=${POOL_MALLOC_ARENA_MAX-2} java ${PROXY_JAVA_OPTS-@jvm.options} -cp "$jar" org.stratum4j.examples.proxy.ProxyMain --upstream "$url" \
    --upstream-user bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms --bind 127.0.0.1 --port "$proxy_port" --stats-port "$proxy_stats" \
    --difficulty "$difficulty" --vardiff-min "$difficulty" --vardiff-max "$difficulty" --ban-threshold 0 > "$proxy_log" 2>&1 &
  proxy=$!
  trap 'kill $proxy $pool $node 2>/dev/null; wait $proxy $pool $node 2>/dev/null || true; rm -f "$run_jar" "$gen_jar"' EXIT
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$proxy_stats/health" > /dev/null 2>&1 && break
    sleep 0.2
  done
  if ! curl -sf "http://127.0.0.1:$proxy_stats/health" > /dev/null 2>&1; then
    echo "the proxy did not get work from the pool:" >&2
    cat "$proxy_log" >&2
    exit 1
  fi
  url="stratum+tcp://127.0.0.1:$proxy_port"
  stats_url="http://127.0.0.1:$proxy_stats/stats"
  protocol="v1 via the proxy"
fi
load_args+=(--url "$url" --stats-url "$stats_url")
echo "scenario $scenario ($protocol): $(java -version 2>&1 | head -1), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
# shellcheck disable=SC2086
"${gen_cpu[@]}" java ${LOADGEN_JAVA_OPTS:-} -cp "$jar" org.stratum4j.examples.loadgen.LoadGenMain "${load_args[@]}"
