#!/usr/bin/env bash
# save -> live: livestack watch vs cdk watch --hotswap on the sample app, against one local-cloud.
# Usage: bench/save-to-live.sh [--edits K] [--infra-edits K] [--rounds R] [--tools livestack,cdk] [--write-docs]
#        bench/save-to-live.sh --soak 1000 [--sample-every 100] [--write-docs]   (memory over back-to-back edits)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/livestack" --version >/dev/null   # builds the jar when missing or stale
[ -x "$root/tools/node_modules/.bin/cdk" ] || (cd "$root/tools" && npm ci --no-audit --no-fund --loglevel=error)
exec python3 "$root/bench/save_to_live.py" "$@"
