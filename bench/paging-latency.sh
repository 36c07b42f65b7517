#!/usr/bin/env bash
# Paging latency benchmark: the alert-latency set-up (embedded broker, the detector with its defaults on the system
# clock, live events for CHANNELS channels checked every minute) plus the notifier with its default settings paging a
# webhook in the benchmark, and, on the same run, real prometheus processes (15 s and 1 s scrape and evaluation)
# scraping the monitor's /metrics with a down / missed rule, sending to a real Alertmanager that pages the same
# webhook. After one warm-up minute, measures for MINUTES minutes the time from each slot's deadline to the webhook
# receiving the page, for both paths: p50, p90, p99, max. Takes MINUTES + 3 minutes or so.
# Needs /usr/bin/prometheus and /usr/bin/prometheus-alertmanager (Debian packages prometheus, prometheus-alertmanager;
# or set PROMETHEUS and ALERTMANAGER). Usage: bench/paging-latency.sh [CHANNELS] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
channels="${1:-500}"
minutes="${2:-4}"
jar=monitor-app/target/monitor-app.jar
benchjar=monitor-bench/target/monitor-bench.jar  # the benchmarks: not in the shipped jar
[[ -f "$jar" && -f "$benchjar" ]] || ./mvnw -B -q package -DskipTests
exec java ${BENCH_JAVA_OPTS:-} -cp "$jar:$benchjar" org.hotlinemonitor.bench.PagingLatencyBenchmark "$channels" "$minutes"
