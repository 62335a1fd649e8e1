#!/usr/bin/env bash
# Log latency on local-cloud: from a function printing a line to livestack receiving it, with live tail,
# with FilterLogEvents polling, and beside them a 2-second FilterLogEvents poll (what `cdk watch` does).
# Prints p50 / p95 / max per receiver. The target for live tail is p50 <= 200 ms.
#
#   bench/logs.sh [--samples N] [--poll-ms MS] [--source lambda|put]
#
# Builds log-tail's test classes (and uses local-cloud from ~/.m2; run
# `mvn -o -q -pl local-cloud install -DskipTests` first for its newest code).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl log-tail test-compile
cp_file=log-tail/target/bench.classpath
mvn -B -q -pl log-tail dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java ${BENCH_JAVA_OPTS:-} -cp "log-tail/target/test-classes:log-tail/target/classes:$(cat "$cp_file")" \
  dev.livestack.logtail.LogLatencyBench "$@"
