#!/usr/bin/env bash
# Side by side, in one run: `cdk synth` (CDK CLI, app `mvn -e -q compile exec:java`) and
# livestack's warm synth, each after a one-line edit of the app; prints both medians and the ratio.
#
#   bench/synth.sh [APP_DIR]
#     APP_DIR        a Maven Java CDK app (default: sample-app when it has Java sources, else the
#                    synth test fixture); it is copied, never edited in place
#   CDK_ROUNDS     cdk synth runs (default 5; each takes ~10 s)
#   WARM_ROUNDS    warm synth runs after 3 untimed ones (default 20)
#   VALIDATION     on|off: aws-cdk-lib's synth-time validation for both sides (default on)
#   MEMORY_SYNTHS  when > 0, then runs that many edit+synth cycles and prints livestack's heap after GC and the
#                  runtime's JVM and node resident memory at the start, every N/40 synths, per recycle and at the end
#                  (issue target: 1000, flat within +-10 %)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CDK_ROUNDS=${CDK_ROUNDS:-5}
WARM_ROUNDS=${WARM_ROUNDS:-20}
VALIDATION=${VALIDATION:-on}
MEMORY_SYNTHS=${MEMORY_SYNTHS:-0}
CDK="$ROOT/tools/node_modules/.bin/cdk"

APP_SRC=${1:-}
if [ -z "$APP_SRC" ]; then
  if [ -f "$ROOT/sample-app/cdk.json" ] && find "$ROOT/sample-app/src/main/java" -name '*.java' 2>/dev/null | grep -q .; then
    APP_SRC="$ROOT/sample-app"
  else
    APP_SRC="$ROOT/synth/src/test/resources/java-app"
  fi
fi
[ -x "$CDK" ] || { echo "bench/synth.sh: the CDK CLI is missing at $CDK" >&2; echo "run 'npm ci' in $ROOT/tools" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$APP_SRC" "$WORK/app"
rm -rf "$WORK/app/target" "$WORK/app/cdk.out" "$WORK/app/.livestack"
APP="$WORK/app"
# the largest Java source holds the stack: that is the file a developer edits
EDITED=$(find "$APP/src/main/java" -name '*.java' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
ORIGINAL="$WORK/original.java"
cp "$EDITED" "$ORIGINAL"

echo "app: $APP_SRC (edited file: ${EDITED#$APP/})"
echo "validation: $VALIDATION; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- livestack's harness: synth classes + test classes + dependencies
( cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl synth test-compile >/dev/null \
  && mvn -B -q -Dstyle.color=never -pl synth dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null )
# a private copy: a rebuild of synth while the bench runs must not change classes under it
cp -r "$ROOT/synth/target/classes" "$WORK/classes"
cp -r "$ROOT/synth/target/test-classes" "$WORK/test-classes"
CP="$WORK/classes:$WORK/test-classes:$(cat "$WORK/cp.txt")"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# --- cdk synth, as `cdk watch` runs it on every save
# the end-of-life silencer must list the node major versions it silences
CDK_ENV=(JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=$(seq -s, 10 40) JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1)
[ "$VALIDATION" = off ] && CDK_ENV+=(CDK_VALIDATION=false)
: > "$WORK/cdk.ms"
echo "cdk synth x $CDK_ROUNDS (the first run also resolves and compiles; it is counted, as cdk watch's first run is)"
for i in $(seq 1 "$CDK_ROUNDS"); do
  { cat "$ORIGINAL"; echo "// bench edit cdk $i"; } > "$EDITED"
  t0=$(date +%s%N)
  ( cd "$APP" && env "${CDK_ENV[@]}" "$CDK" synth --app "mvn -e -q compile exec:java" -q --no-notices -o "$WORK/cdk.out" >/dev/null 2>"$WORK/cdk.err" ) \
    || { echo "cdk synth failed:" >&2; tail -20 "$WORK/cdk.err" >&2; exit 1; }
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  echo "  cdk synth $i: $ms ms"
  echo "$ms" >> "$WORK/cdk.ms"
done
cp "$ORIGINAL" "$EDITED"
CDK_MEDIAN=$(median < "$WORK/cdk.ms")

# --- livestack warm synth: one cold start (not counted: it happens once per session), then timed edits
PROPS=()
[ "$VALIDATION" = off ] && PROPS+=(-Dlivestack.bench.validation=false)
ARGS=("$APP" "$WARM_ROUNDS")
[ "$MEMORY_SYNTHS" -gt 0 ] && ARGS+=(--memory "$MEMORY_SYNTHS")
# as livestack's launcher runs it (the jar manifest's Add-Exports): javac's symbol tables are reused between compiles
java --add-exports jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED "${PROPS[@]}" -cp "$CP" dev.livestack.synth.SynthBench "${ARGS[@]}" | tee "$WORK/warm.out" | sed 's/^/  /'
WARM_MEDIAN=$(sed -n 's/^warm median: \([0-9]*\) ms$/\1/p' "$WORK/warm.out")

echo
echo "cdk synth median:            $CDK_MEDIAN ms"
echo "livestack warm synth median: $WARM_MEDIAN ms (edit -> assembly)"
WARM_P95=$(sed -n 's/^warm p95: \([0-9]*\) ms$/\1/p' "$WORK/warm.out")
echo "livestack warm synth p95:    $WARM_P95 ms"
awk -v a="$CDK_MEDIAN" -v b="$WARM_MEDIAN" 'BEGIN { if (b > 0) printf "ratio:                       %.1fx\n", a / b }'
echo "load average at the end:     $(cut -d' ' -f1-3 /proc/loadavg)"
