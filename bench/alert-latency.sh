#!/usr/bin/env bash
# Alert latency benchmark: an embedded broker, the detector with its default settings on the system clock, and a
# producer of live events for CHANNELS channels checked every minute; after one warm-up minute, measures for
# MINUTES minutes the time from each alert's deadline (its "at") to its arrival at a read_committed consumer of
# hotline.alerts: p50, p90, p99, max. Takes MINUTES + 2 minutes or so. Usage: bench/alert-latency.sh [CHANNELS] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
channels="${1:-2000}"
minutes="${2:-4}"
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
exec java ${BENCH_JAVA_OPTS:-} -cp "$jar:$benchjar" org.hotlinemonitor.bench.AlertLatencyBenchmark "$channels" "$minutes"
