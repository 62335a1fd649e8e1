#!/usr/bin/env bash
# local-cloud's crash test at full size: kill -9 local-cloud at random points during writes CRASHES times
# (default 100; `mvn verify` runs 20) and check after each restart that every acknowledged write is there.
#   bench/crash.sh [CRASHES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
crashes="${1:-100}"
seed_opt=()
if [ $# -ge 2 ]; then seed_opt=("-Dlivestack.seed=$2"); fi
start=$(date +%s)
mvn -B -q -pl local-cloud verify -Dtest=NONE -Dit.test=CrashIT -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false -Dlivestack.crashes="$crashes" "${seed_opt[@]}" | grep -E "CrashIT|Tests run:|FAIL" || true
echo "crash test: $crashes crashes in $(( $(date +%s) - start )) s"
