#!/usr/bin/env bash
# The slow context-lookup checks that `mvn verify` leaves out (each runs a Java CDK app's Maven command once per
# lookup round): LookupAppIT's app-command synth, and CdkCliParityIT (the pinned CDK CLI's own lookups against
# local-cloud must write the same cdk.context.json as livestack). Prints the test counts and the time.
# Usage: bench/lookups.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LOG="$(mktemp -t livestack-lookups.XXXXXX.log)"
echo "bench/lookups.sh: LookupAppIT + CdkCliParityIT with -Dlivestack.slowITs=true (log: $LOG)"
start=$(date +%s)
set +e
mvn -B -pl context -am verify -Dtest=NONE -Dit.test='LookupAppIT,CdkCliParityIT' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dlivestack.slowITs=true >"$LOG" 2>&1
rc=$?
set -e
grep -E 'Tests run:.*in dev\.livestack\.context' "$LOG" || true
[ $rc -ne 0 ] && grep -E '^\[ERROR\]' "$LOG" | head -20
echo "lookups: rc=$rc, $(( $(date +%s) - start )) s"
exit $rc
