#!/usr/bin/env bash
# The parity suite: replays LocalStack's recorded AWS responses against local-cloud (the *ParityIT classes of
# local-cloud), then writes docs/parity.md from local-cloud/target/parity/<service>.json.
#   bench/parity.sh            run the ITs, then write the page
#   bench/parity.sh --report   only write the page from the result files already there
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--report" ]; then
  # a failing floor must not stop the page being written: it shows what regressed
  mvn -B -o -q -pl local-cloud -am verify -Dtest=NONE -Dit.test='*ParityIT' -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfailsafe.failIfNoSpecifiedTests=false | grep -E "ParityIT|Tests run:|FAIL" || true
fi
python3 bench/parity_report.py local-cloud/target/parity docs/parity.md
