#!/usr/bin/env bash
# The deployer's randomized "nothing lost" check at soak size: TRIALS saves (code and non-code) arriving at
# random times during slowed deploys on local-cloud; after each settles, the live stack must equal the last
# saved source. CI runs 200 trials; this runs 1,000 by default.
#   bench/deployer-soak.sh [TRIALS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
trials="${1:-1000}"
cd "$root"
mvn -B -q -DskipTests install -pl watcher,synth,inline-packager,local-cloud -am >/dev/null
start=$(date +%s)
mvn -B -pl deployer verify -Dit.test=RandomizedSavesIT -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dlivestack.trials="$trials" | grep -E "Tests run:|FAIL|trial" || true
echo "deployer soak: $trials trials in $(( $(date +%s) - start )) s"
