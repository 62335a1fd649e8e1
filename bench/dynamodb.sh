#!/usr/bin/env bash
# local-cloud DynamoDB latencies through the AWS SDK v2: PutItem on a table already holding PREFILL items of ~1 KB
# (each put rewrites the table's record), GetItem, and a 20-item Query. Prints p50 / p95 / max.
#
#   bench/dynamodb.sh [SAMPLES=200] [PREFILL=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl local-cloud test-compile
cp_file=local-cloud/target/bench.classpath
mvn -B -q -pl local-cloud dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java -cp "local-cloud/target/test-classes:local-cloud/target/classes:$(cat "$cp_file")" \
  dev.livestack.localcloud.DynamoDbBench "$@"
