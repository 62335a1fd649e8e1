#!/usr/bin/env bash
# Time from a saved handler file to the zip bytes a hot-swap uploads (inline-packager, warm JVM):
# a single Node.js file (inlined as is), a single Python file, and a 3-file TypeScript function bundled by esbuild.
# Targets (issue 4): <= 20 ms for a single file, <= 150 ms for an esbuild bundle.
# Usage: bench/package.sh [runs]   (needs the project's esbuild: cd tools && npm ci)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
if [ ! -x tools/node_modules/.bin/esbuild ]; then
  echo "esbuild is missing: run (cd tools && npm ci) first" >&2
  exit 2
fi
echo "building inline-packager…" >&2
mvn -B -q -Dstyle.color=never -pl inline-packager test-compile >&2
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -Dstyle.color=never -pl inline-packager dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >&2
echo "machine: $(nproc) cores, load $(cut -d" " -f1 /proc/loadavg), $(uname -sr), $(java -version 2>&1 | head -1)"
echo "command: bench/package.sh $runs"
java -cp "inline-packager/target/classes:inline-packager/target/test-classes:$(cat "$cp_file")" \
  dev.livestack.inlinepackager.PackageBench "$runs"
