#!/usr/bin/env bash
# The never-stale proof: N randomized trials of the watch loop against local-cloud (NeverStaleTrialsIT).
# Usage: bench/trials.sh N [SEED [FROM]]   (default N=25; SEED random, printed so a failure can be replayed)
# Trial i runs with seed SEED+i; FROM (default 0) runs trials FROM..FROM+N-1, so `bench/trials.sh 1000 S` can be made
# as chunks (`bench/trials.sh 100 S 0`, `bench/trials.sh 100 S 100`, ...) that run exactly the same trials.
# Prints one line per trial, then "never-stale trials: N trials, seed S, K stale or lost, T s".
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-25}"
SEED="${2:-$(date +%s%N)}"
FROM="${3:-0}"
LOG="$(mktemp -t livestack-trials.XXXXXX.log)"
echo "bench/trials.sh: $N trials from $FROM, seed $SEED (log: $LOG)"
set +e
mvn -B -q -pl cli -am verify -Dtest=NONE -Dit.test=NeverStaleTrialsIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dlivestack.trials="$N" -Dlivestack.seed="$SEED" -Dlivestack.trialsFrom="$FROM" \
  -Dfailsafe.timeout=0 >"$LOG" 2>&1
rc=$?
set -e
grep -E '^(trial [0-9]+|never-stale trials:|trials:)' "$LOG" || true
if [ $rc -ne 0 ]; then
  grep -E '^\[ERROR\]' "$LOG" | head -20
fi
exit $rc
