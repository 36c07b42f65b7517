#!/usr/bin/env bash
# Time from launching `run` on the embedded broker to its "ready" line (broker answering, topics there,
# detector RUNNING, producer started), RUNS times on an empty data directory and RUNS times restarting on
# the kept one. Each run is stopped with SIGTERM once ready. Usage: bench/run-ready.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
jar="$PWD/monitor-app/target/monitor-app.jar"
[[ -f "$jar" ]] || ./mvnw -B -q package -DskipTests
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r examples "$work/"
cd "$work"
one() {
  java -jar "$jar" run --channels examples/channels.yaml --placer simulated \
      --broker-port 0 --controller-port 0 --quiet >/dev/null 2>err.txt &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q 'ready in' err.txt 2>/dev/null && break
    sleep 0.1
  done
  kill -TERM "$pid"
  wait "$pid" || true
  grep -o 'ready in [0-9.]* s' err.txt || echo "not ready (see $work/err.txt)"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do rm -rf data; echo "empty data dir: $(one)"; done
for i in $(seq 1 "$runs"); do echo "restart:        $(one)"; done
