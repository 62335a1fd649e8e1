#!/usr/bin/env bash
# SQS and event-source-mapping latencies through the AWS SDK v2: local-cloud start-up (cold JVM, then a restart
# over full queues), SendMessage, ReceiveMessage + DeleteMessage, a long poll woken by a send, and an idle
# mapping's send -> Python handler start. Prints p50 / p95 / max.
#
#   bench/sqs.sh [SAMPLES=300] [QUEUES=20] [MESSAGES_PER_QUEUE=200]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl local-cloud test-compile
cp_file=local-cloud/target/bench.classpath
mvn -B -q -o -pl local-cloud dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java -cp "local-cloud/target/test-classes:local-cloud/target/classes:$(cat "$cp_file")" \
  dev.livestack.localcloud.SqsBench "$@"
