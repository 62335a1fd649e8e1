#!/usr/bin/env bash
# The sample pipeline on local-cloud, end to end: invoke ingest → the worker has stored the order in the table,
# p50 / p90 / max over N orders (target p50 ≤ 300 ms), and local-cloud's start-up time (target ≤ 1.5 s), cold
# in a fresh JVM and on the deployed app's state. Builds local-cloud from this checkout (the reactor), not ~/.m2.
#
#   bench/pipeline.sh [ORDERS=50]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file="$PWD/sample-app/target/bench.classpath"
# sample-app is the reactor's last module, so its classpath (local-cloud as local-cloud/target/classes) is the one kept
mvn -B -q -o -pl sample-app -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
cd sample-app
exec java -cp "target/test-classes:target/classes:$(cat "$cp_file")" dev.livestack.sample.PipelineBench "$@"
