#!/usr/bin/env bash
# The share store's sustained rate into a real PostgreSQL server on this machine (BENCHMARKS.md):
#   benchmarks/store.sh [SHARES] [WORKERS]     # defaults 1,000,000 shares from 9,000 workers
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl stratum-examples -am test-compile dependency:build-classpath -Dfuzz.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "stratum-examples/target/test-classes:stratum-examples/target/classes:$(cat stratum-examples/target/test-classpath.txt)" \
  org.stratum4j.examples.store.StoreThroughput "$@"
