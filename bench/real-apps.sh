#!/usr/bin/env bash
# The real-apps corpus (real-apps/*, public CDK apps written elsewhere, see docs/real-apps.md): for each
# app, `livestack synth` against `cdk synth` (the CDK CLI pinned in tools/), compared template by
# template after dropping only aws:cdk:path and aws:asset:* metadata (bench/real_apps_compare.py), the
# wall time of both, then `livestack deploy` to an embedded local-cloud. Prints a Markdown table.
#
#   bench/real-apps.sh [APP...]      default: every folder of real-apps/ with a cdk.json
#   LIVESTACK   the livestack command (default: the ./livestack launcher)
#   KEEP=1      keep the work folder (copies of the apps, both assemblies, every log)
#
# Each app is copied to a work folder (the corpus is never edited) and prepared as its README says
# before either synth runs, untimed: `mvn -q package -DskipTests` for a multi-module build (it builds
# the Lambda jar the app reads as an asset), `mvn -q compile` when the cdk.json command does not compile.
# Both synths then start cold (a fresh process each, as a user's first `synth` is); cdk synth runs with
# `--output` outside the app so neither overwrites the other's assembly.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CDK="$ROOT/tools/node_modules/.bin/cdk"
LIVESTACK=${LIVESTACK:-"$ROOT/livestack"}
[ -x "$CDK" ] || { echo "bench/real-apps.sh: the CDK CLI is missing at $CDK" >&2; echo "run 'npm ci' in $ROOT/tools" >&2; exit 2; }

# --parameters the corpus needs to deploy (CloudFormation has no value for a parameter without a default)
declare -A PARAMS=(
  [eventbridge-lambda]="--parameters email=dev@example.com"
)

# Context an app's README says to give it (merged into the copy's cdk.json, as the README says to add it there)
declare -A CONTEXT=(
  [static-site]='{"domain": "example.com", "subdomain": "www", "accountId": "000000000000"}'
)
# Apps with context lookups: both synths look up against one local-cloud started for the app (its state is then
# the deploy's), seeded first with what the lookups must find (aws CLI arguments, run against that local-cloud)
declare -A SEED=(
  [static-site]="route53 create-hosted-zone --name example.com --caller-reference real-apps-static-site"
  # Vpc.fromLookup({isDefault: true}) in a stack whose env is CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION: nothing to
  # seed, every region of a fresh account (and of local-cloud) has its default VPC
  [my-container-infrastructure]=""
)
# Environment an app needs on both synths (and the deploy's): my-container-infrastructure's code (2022) does not
# type-check against aws-cdk-lib 2.263.0 (FargateTaskDefinition gained cpu and memoryMiB), so ts-node only transpiles it
declare -A APP_ENV=(
  [my-container-infrastructure]="TS_NODE_TRANSPILE_ONLY=true"
)
# Apps whose NodejsFunction bundles with esbuild: the esbuild of tools/ is put on both synths' PATH (no docker here)
declare -A ESBUILD=(
  [lambda-provisioned-concurrency-autoscaling]=1
)

APPS=("$@")
if [ ${#APPS[@]} -eq 0 ]; then
  for d in "$ROOT"/real-apps/*/; do [ -f "$d/cdk.json" ] && APPS+=("$(basename "$d")"); done
fi

WORK=$(mktemp -d /tmp/real-apps.XXXXXX)
[ "${KEEP:-0}" = 1 ] && echo "work folder: $WORK" >&2 || trap 'rm -rf "$WORK"' EXIT
# Both sides see the same environment: no AWS credentials (so livestack targets its local-cloud and the CDK
# CLI finds no account), no instance metadata lookups, jsii's node banner silenced.
export AWS_EC2_METADATA_DISABLED=true JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 \
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=$(seq -s, 10 40) CDK_DISABLE_VERSION_CHECK=1
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
# the line that says why: livestack's root cause, else its error line, else the last line of the output
reason() {
  { grep -m1 'root cause:' "$1" || grep -m1 -i '^error:\|^✗\|Synth failed' "$1" || grep -v '^\s*$' "$1" | grep -iv 'warn\|^\s*at \|notice' | tail -1; } \
    | sed 's/^\s*//' | cut -c1-200 | tr '|' '/'
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
ROWS=()
for app in "${APPS[@]}"; do
  src="$ROOT/real-apps/$app"; dir="$WORK/$app"; log="$WORK/$app.log"
  [ -f "$src/cdk.json" ] || { echo "no app $src" >&2; continue; }
  cp -r "$src" "$dir"; rm -rf "$dir/target" "$dir"/*/target "$dir/cdk.out" "$dir/.livestack"
  echo "== $app" >&2
  ( cd "$dir"
    if grep -q '<modules>' pom.xml 2>/dev/null; then
      mvn -B -q package -DskipTests
      for j in */target/*-jar-with-dependencies.jar; do [ -f "$j" ] && mkdir -p asset && cp "$j" asset/; done
    elif [ -f pom.xml ] && ! grep -q 'compile' cdk.json; then mvn -B -q compile
    elif [ -f package.json ] && [ ! -d node_modules ]; then npm ci --no-audit --no-fund --loglevel=error
    fi ) >"$log.prepare" 2>&1 || echo "   prepare failed: $(reason "$log.prepare")" >&2

  if [ -n "${CONTEXT[$app]:-}" ]; then
    python3 -c 'import json,sys; p=sys.argv[1]; c=json.load(open(p)); c.setdefault("context", {}).update(json.loads(sys.argv[2])); json.dump(c, open(p, "w"), indent=2)' \
      "$dir/cdk.json" "${CONTEXT[$app]}"
  fi
  SYNTH_ENV=("PATH=$PATH")
  [ -n "${ESBUILD[$app]:-}" ] && SYNTH_ENV=("PATH=$ROOT/tools/node_modules/.bin:$PATH")
  [ -n "${APP_ENV[$app]:-}" ] && SYNTH_ENV+=(${APP_ENV[$app]})
  DEPLOY_ENV=("${SYNTH_ENV[@]}")
  endpoint=""
  if [[ -v SEED[$app] ]]; then
    (cd "$dir" && $LIVESTACK local-cloud start --detach --port 0 --app "$dir" --state-dir "$WORK/$app.state") >"$log.cloud" 2>&1
    endpoint=$(cd "$dir" && $LIVESTACK local-cloud status --output json --app "$dir" --state-dir "$WORK/$app.state" \
      | python3 -c 'import json,sys; print(next((json.loads(l).get("endpoint", "") for l in sys.stdin if "local-cloud.status" in l), ""))')
    [ -z "${SEED[$app]}" ] || AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region us-east-1 --endpoint-url "$endpoint" \
      ${SEED[$app]} >>"$log.cloud" 2>&1 || echo "   seeding local-cloud failed: $(reason "$log.cloud")" >&2
    SYNTH_ENV+=("AWS_ENDPOINT_URL=$endpoint" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1)
  fi

  t0=$(date +%s%N)
  (cd "$dir" && env "${SYNTH_ENV[@]}" $LIVESTACK synth --synth-timeout 900 --app "$dir" --out "$WORK/$app.templates") >"$log.livestack" 2>&1; ls_rc=$?
  t1=$(date +%s%N)
  [ -d "$dir/cdk.out" ] && cp -r "$dir/cdk.out" "$WORK/$app.livestack.out"
  # cdk synth makes its own lookups: livestack's cdk.context.json is put aside, then compared with the CLI's
  if [ -n "$endpoint" ] && [ -f "$dir/cdk.context.json" ]; then mv "$dir/cdk.context.json" "$WORK/$app.livestack.context.json"; fi
  t2=$(date +%s%N)
  (cd "$dir" && env "${SYNTH_ENV[@]}" "$CDK" synth --quiet --output "$WORK/$app.cdk.out") >"$log.cdk" 2>&1; cdk_rc=$?
  t3=$(date +%s%N)
  ls_s=$(secs $t0 $t1); cdk_s=$(secs $t2 $t3)
  if [ $ls_rc -ne 0 ]; then equal="no: livestack synth failed: $(reason "$log.livestack")"
  elif [ $cdk_rc -ne 0 ]; then equal="no: cdk synth failed: $(reason "$log.cdk")"
  elif python3 "$ROOT/bench/real_apps_compare.py" "$WORK/$app.livestack.out" "$WORK/$app.cdk.out" >"$log.compare" 2>&1
  then equal="yes ($(grep -o '[0-9]* templates' "$log.compare"))"
  else equal="no: $(head -1 "$log.compare" | cut -c1-160 | tr '|' '/')"; fi
  if [ -n "$endpoint" ] && [ "${equal#yes}" != "$equal" ]; then
    if cmp -s "$WORK/$app.livestack.context.json" "$dir/cdk.context.json"; then equal="$equal, same cdk.context.json"
    else equal="no: cdk.context.json differs from the CDK CLI's"; fi
  fi
  ratio=$( [ $ls_rc -eq 0 ] && [ $cdk_rc -eq 0 ] && awk -v a="$cdk_s" -v b="$ls_s" 'BEGIN { printf "%.2f", a / b }' || echo "-")

  (cd "$dir" && env "${DEPLOY_ENV[@]}" $LIVESTACK deploy --synth-timeout 900 --app "$dir" --target local --state-dir "$WORK/$app.state" \
      --require-approval never ${PARAMS[$app]:-}) >"$log.deploy" 2>&1
  if [ $? -eq 0 ]; then deployed="yes${PARAMS[$app]:+ (${PARAMS[$app]})}"; else deployed="no: $(reason "$log.deploy")"; fi
  # the embedded local-cloud ends with the deploy; one started for lookups is stopped here
  [ -n "$endpoint" ] && (cd "$dir" && $LIVESTACK local-cloud stop --app "$dir" --state-dir "$WORK/$app.state") >>"$log.cloud" 2>&1

  row="| $app | $equal | $deployed | $ls_s | $cdk_s | $ratio |"
  echo "$row" >&2
  ROWS+=("$row")
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| app | synth equal | deployed | livestack synth s | cdk synth s | ratio |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
