#!/usr/bin/env bash
# What miners lose when a pool process dies or is restarted behind HAProxy (BENCHMARKS.md, issue #17):
# a cluster from deploy/cluster/start.sh (three pools, HAProxy, PostgreSQL, the demo node), and the
# load generator through HAProxy with miners' reconnecting (--reconnect-within).
#   benchmarks/failover.sh kill      # kill -9 one pool mid-run, restart it 10 s later
#   benchmarks/failover.sh rolling   # drain and restart every pool in turn (a rolling upgrade)
# Environment: CONNECTIONS (8000), RATE (4000 submits/s), RECONNECT_MS (1000: each lost miner comes
# back after a random 0..1 s), DRAIN_SECONDS (10), WORK_DIR (a new temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?"scenario: kill or rolling"}
connections=${CONNECTIONS:-8000}
rate=${RATE:-4000}
reconnect=${RECONNECT_MS:-1000}
drain=${DRAIN_SECONDS:-10}
work=${WORK_DIR:-$(mktemp -d /tmp/stratum4j-failover.XXXXXX)}
mkdir -p "$work"
front=${FRONT_PORT:-13333}
stats_base=${STATS_PORT_BASE:-18090}
jar=stratum-examples/target/stratum-example-pool.jar
if [[ ! -f $jar ]]; then
  ./mvnw -q -pl stratum-examples -am package -DskipTests
fi

# Difficulty 1024: the generator's random nonces are all refused, so what is measured is the
# connection and its job, not luck; --ban-threshold 0 keeps them connected.
WORK_DIR=$work FRONT_PORT=$front POOL_PORT_BASE=$((front + 10)) STATS_PORT_BASE=$stats_base PG_PORT=${PG_PORT:-55434} \
  NODE_PORT=${NODE_PORT:-18453} POOL_ARGS="--difficulty 1024 --vardiff-min 1024 --vardiff off --ban-threshold 0 --max-connections 20000 --drain-seconds $drain" \
  setsid deploy/cluster/start.sh 3 >"$work/cluster.out" 2>&1 &
cluster=$!
trap 'kill -TERM $cluster 2>/dev/null; wait $cluster 2>/dev/null || true' EXIT
until grep -q "cluster up" "$work/cluster.out"; do
  kill -0 $cluster 2>/dev/null || { cat "$work/cluster.out"; exit 1; }
  sleep 0.5
done
export PGPASSWORD
PGPASSWORD=$(cat "$work/pgpass" 2>/dev/null || echo "${PGPASSWORD:-}")

restart() { # pool index: start it again with the command the cluster script used
  bash -c "$(cat "$work/pool-$1.cmd") >>'$work/pool-$1.log' 2>&1 & echo \$! > '$work/pool-$1.pid'"
  until curl -sf "http://127.0.0.1:$((stats_base + $1))/health" >/dev/null; do sleep 0.1; done
}

case $scenario in
  kill) measured=40 ;;
  rolling) measured=$((3 * (drain + 20) + 10)) ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
java -cp "$jar" org.stratum4j.examples.loadgen.LoadGenMain --url "stratum+tcp://127.0.0.1:$front" --connections "$connections" \
  --processes 2 --rate "$rate" --warmup-seconds 10 --seconds "$measured" --idle-seconds 5 --reconnect-within "$reconnect" \
  >"$work/loadgen.out" 2>&1 &
loadgen=$!
# Connecting (about 2 s), idle 5 s, warm-up 10 s: the measured part begins about 17 s in.
sleep 25
case $scenario in
  kill)
    echo "$(date +%T.%N | cut -c1-12) kill -9 pool 1"
    kill -9 "$(cat "$work/pool-1.pid")"
    sleep 10
    echo "$(date +%T.%N | cut -c1-12) restarting pool 1 on its journal"
    restart 1
    ;;
  rolling)
    for i in 0 1 2; do
      echo "$(date +%T.%N | cut -c1-12) draining pool $i"
      pid=$(cat "$work/pool-$i.pid")
      kill -TERM "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      echo "$(date +%T.%N | cut -c1-12) pool $i exited; restarting it"
      restart "$i"
      sleep 15
    done
    ;;
esac
wait $loadgen || true
cat "$work/loadgen.out"
echo "logs in $work"
