#!/usr/bin/env bash
# The sample pipeline on local-cloud, end to end: invoke ingest → the worker has stored the order in the table,
# p50 / p90 / max over N orders (target p50 ≤ 300 ms), and local-cloud's start-up time (target ≤ 1.5 s), cold
# in a fresh JVM and on the deployed app's state. Needs local-cloud installed in ~/.m2 (the sample app resolves
# it there): `mvn -B -q -pl local-cloud -am install -DskipTests` first, or run ./livestack once.
#
#   bench/pipeline.sh [ORDERS=50]
set -euo pipefail
cd "$(dirname "$0")/../sample-app"
mvn -B -q test-compile
cp_file=target/bench.classpath
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat "$cp_file")" dev.livestack.sample.PipelineBench "$@"
