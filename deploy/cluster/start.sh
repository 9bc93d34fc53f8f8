#!/usr/bin/env bash
# A stratum4j cluster on this machine, to try several pool processes behind HAProxy on one
# PostgreSQL (issue #17): N pools (default 3) on one database, all following one node, HAProxy in
# front with deploy/cluster/haproxy.cfg.in. Runs until Ctrl-C, then drains the pools and stops
# everything.
#
#   deploy/cluster/start.sh [N]
#
# Environment: FRONT_PORT (3333, where miners connect), POOL_PORT_BASE (3340: pool i listens on
# base + i), STATS_PORT_BASE (8090: its /stats, /health), DATABASE (a postgresql:// URL; when unset
# a PostgreSQL server is made in WORK_DIR with Debian's binaries), WORK_DIR (a new temporary
# directory), POOL_ARGS (more pool flags), RPC_URL and RPC_COOKIE (Bitcoin Core's RPC address and
# .cookie file; when RPC_URL is unset the demo node is started on NODE_PORT, 18443, so that every
# pool follows one chain and a block found through any pool moves all of them). Needs a JDK 17+,
# haproxy, and without DATABASE the postgresql package. Loopback only.
#
# A rolling restart by hand: kill -TERM "$(cat "$WORK_DIR/pool-1.pid")" drains pool 1 (its miners
# move to the others through HAProxy); start it again with the command in "$WORK_DIR/pool-1.cmd".
set -euo pipefail
cd "$(dirname "$0")/../.."

n=${1:-3}
front=${FRONT_PORT:-3333}
base=${POOL_PORT_BASE:-3340}
stats_base=${STATS_PORT_BASE:-8090}
work=${WORK_DIR:-$(mktemp -d /tmp/stratum4j-cluster.XXXXXX)}
mkdir -p "$work"
jar=stratum-examples/target/stratum-example-pool.jar
demo_address=bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms

command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || { echo "haproxy is missing (Debian: apt-get install haproxy)" >&2; exit 2; }
haproxy_bin=$(command -v haproxy || echo /usr/sbin/haproxy)
if [[ ! -f $jar ]]; then
  ./mvnw -q -pl stratum-examples -am package -DskipTests
fi
# The processes run a copy: a rebuild of the repository must not change the jar under running JVMs
# (they load classes from it lazily, and fail when it changes). For a rolling upgrade, copy the new
# jar beside this one under another name, point pool-i.cmd at it and restart the pools one by one;
# never overwrite a jar a process runs from.
cp "$jar" "$work/stratum-example-pool.jar"
jar=$work/stratum-example-pool.jar

pids=()
pg_ctl_cmd=()
stop_all() {
  echo "stopping: draining the pools, then HAProxy and PostgreSQL"
  for i in $(seq 0 $((n - 1))); do
    [[ -f $work/pool-$i.pid ]] && kill -TERM "$(cat "$work/pool-$i.pid")" 2>/dev/null || true
  done
  for i in $(seq 0 $((n - 1))); do
    [[ -f $work/pool-$i.pid ]] && while kill -0 "$(cat "$work/pool-$i.pid")" 2>/dev/null; do sleep 0.2; done
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ ${#pg_ctl_cmd[@]} -gt 0 ]]; then "${pg_ctl_cmd[@]}" stop -m fast >/dev/null 2>&1 || true; fi
}
trap stop_all EXIT
# Started in the background, a script ignores SIGINT: stop on TERM too.
trap 'exit 0' INT TERM

if [[ -z ${DATABASE:-} ]]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n $bin && -x $bin/initdb ]] || { echo "set DATABASE, or install PostgreSQL (Debian: apt-get install postgresql)" >&2; exit 2; }
  as=()
  if [[ $(id -u) = 0 ]]; then
    # PostgreSQL refuses to run as root.
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    chown nobody:nogroup "$work"
  fi
  pg_port=${PG_PORT:-55433}
  echo "cluster-secret" > "$work/pgpass"
  chmod 644 "$work/pgpass"
  "${as[@]}" "$bin/initdb" -D "$work/pg" -U pool --pwfile="$work/pgpass" -A scram-sha-256 >"$work/initdb.log" 2>&1
  pg_ctl_cmd=("${as[@]}" "$bin/pg_ctl" -D "$work/pg" -l "$work/postgresql.log")
  "${pg_ctl_cmd[@]}" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  until "$bin/pg_isready" -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1; do sleep 0.2; done
  PGPASSWORD=cluster-secret "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pool pool
  # The password reaches the pools through PGPASSWORD, not their command lines.
  export PGPASSWORD=cluster-secret
  DATABASE="postgresql://pool@127.0.0.1:$pg_port/pool"
fi

if [[ -z ${RPC_URL:-} ]]; then
  # The demo chain as a node; its password is made here and reaches the pools in a cookie file.
  node_port=${NODE_PORT:-18443}
  node_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && echo "__cookie__:$node_password" > "$work/node.cookie")
  java -cp "$jar" org.stratum4j.examples.demo.DemoNodeMain --port "$node_port" --rpc-user __cookie__ \
    --rpc-password "$node_password" ${NODE_ARGS:-} >>"$work/node.log" 2>&1 &
  pids+=($!)
  RPC_URL="http://127.0.0.1:$node_port/"
  RPC_COOKIE="$work/node.cookie"
  until grep -q "JSON-RPC at" "$work/node.log" 2>/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "the demo node exited; see $work/node.log" >&2; exit 1; }
    sleep 0.2
  done
fi
chain_args=(--chain bitcoind --rpc-url "$RPC_URL")
[[ -n ${RPC_COOKIE:-} ]] && chain_args+=(--rpc-cookie "$RPC_COOKIE")
# The demo chain is made for CPU miners: share difficulties as low as the pool's own demo chain uses.
if [[ -n ${node_port:-} ]]; then
  [[ " ${POOL_ARGS:-} " == *" --difficulty "* ]] || chain_args+=(--difficulty 0.001)
  [[ " ${POOL_ARGS:-} " == *" --vardiff-min "* ]] || chain_args+=(--vardiff-min 0.00001)
fi

servers=""
for i in $(seq 0 $((n - 1))); do
  # The README's launch command: jvm.options and two malloc arenas (a small resident set per process).
  cmd=(env MALLOC_ARENA_MAX=2 java @"$PWD/jvm.options" -jar "$jar" --bind 127.0.0.1 --port $((base + i)) --stats-port $((stats_base + i)) --instance-id "$i" --proxy-protocol
       "${chain_args[@]}" --reconnect-address "127.0.0.1:$front" --mode pool --payout-address "$demo_address" --database "$DATABASE" --share-log "$work/journal-$i.jsonl")
  # shellcheck disable=SC2206
  cmd+=(${POOL_ARGS:-})
  printf '%q ' "${cmd[@]}" > "$work/pool-$i.cmd"
  "${cmd[@]}" >>"$work/pool-$i.log" 2>&1 &
  echo $! > "$work/pool-$i.pid"
  servers+="    server pool$i 127.0.0.1:$((base + i)) check port $((stats_base + i))"$'\n'
done
for i in $(seq 0 $((n - 1))); do
  until curl -sf "http://127.0.0.1:$((stats_base + i))/health" >/dev/null; do
    kill -0 "$(cat "$work/pool-$i.pid")" 2>/dev/null || { echo "pool $i exited; see $work/pool-$i.log" >&2; exit 1; }
    sleep 0.2
  done
done

awk -v front="127.0.0.1:$front" -v servers="$servers" '{ gsub("@FRONT@", front); if ($0 == "@SERVERS@") { printf "%s", servers } else print }' \
  deploy/cluster/haproxy.cfg.in > "$work/haproxy.cfg"
"$haproxy_bin" -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
balancer=$!
pids+=("$balancer")

echo "cluster up: $n pools on $(sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$DATABASE") behind HAProxy, following $RPC_URL"
echo "  miners:   stratum+tcp://127.0.0.1:$front (user: a regtest address, e.g. $demo_address.rig1)"
echo "  pools:    /stats and /health on 127.0.0.1:$stats_base..$((stats_base + n - 1)); logs, pids and commands in $work"
echo "  Ctrl-C drains the pools and stops everything"
# Waiting in a loop keeps the shell able to take a signal at once.
while kill -0 "$balancer" 2>/dev/null; do sleep 1; done
