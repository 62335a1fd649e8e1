#!/usr/bin/env bash
# local-cloud latencies through the AWS SDK v2: DescribeStacks; creating a 20-resource stack
# (CreateStack until CREATE_COMPLETE); and a Lambda code update (UpdateFunctionCode until the first
# Invoke returns the new code, node and python). Prints p50 / p95 / max.
#
#   bench/local-cloud.sh [DESCRIBE_SAMPLES=200] [STACKS=20] [CODE_UPDATES=20]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl local-cloud test-compile
cp_file=local-cloud/target/bench.classpath
mvn -B -q -pl local-cloud dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java -cp "local-cloud/target/test-classes:local-cloud/target/classes:$(cat "$cp_file")" \
  dev.livestack.localcloud.LocalCloudBench "$@"
