#!/usr/bin/env bash
# Builds the project twice from clean and checks that every jar (library jars, their sources and
# Javadoc jars, the example pool) is byte-for-byte the same: the build is reproducible
# (project.build.outputTimestamp in the root pom fixes archive times; Javadoc pages carry no date).
# Usage: scripts/check-reproducible.sh   (prints one line per jar; exits 1 on any difference)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for run in 1 2; do
  ./mvnw -q clean package -DskipTests
  mkdir -p "$out/$run"
  for jar in stratum-*/target/*.jar; do
    cp "$jar" "$out/$run/$(basename "$jar")"
  done
  # A different wall-clock second between the builds: only a fixed timestamp keeps them equal.
  sleep 2
done
status=0
for jar in "$out"/1/*.jar; do
  name=$(basename "$jar")
  a=$(sha256sum < "$jar" | cut -d' ' -f1)
  b=$(sha256sum < "$out/2/$name" | cut -d' ' -f1)
  if [[ $a == "$b" ]]; then
    echo "same       $a  $name"
  else
    echo "DIFFERENT  $a $b  $name"
    status=1
  fi
done
exit $status
