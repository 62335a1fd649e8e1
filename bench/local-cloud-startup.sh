#!/usr/bin/env bash
# local-cloud's start-up as a user meets it: from launching `livestack local-cloud start` (a fresh JVM, empty state)
# to its "listening" line, N runs (target ≤ 1.5 s). Uses cli/target/livestack.jar (build it first:
# mvn -B -q -pl cli -am package -DskipTests).
#
#   bench/local-cloud-startup.sh [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${LIVESTACK_JAR:-$PWD/cli/target/livestack.jar}"
[ -f "$jar" ] || { echo "no $jar" >&2; echo "build it: mvn -B -q -pl cli -am package -DskipTests" >&2; exit 2; }
runs=${1:-5}
times=()
for i in $(seq 1 "$runs"); do
  d=$(mktemp -d)
  t0=$(date +%s%N)
  java -jar "$jar" local-cloud --state-dir "$d" start --port 0 > "$d/out" 2>&1 &
  pid=$!
  until grep -q "listening on" "$d/out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$d/out" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "run $i: $ms ms"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$d"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "start-up, fresh JVM, empty state, %d runs: p50 %d ms, max %d ms (load %s)\n", NR, a[int((NR+1)/2)], a[NR], "'"$(cut -d' ' -f1 /proc/loadavg)"'"}'
