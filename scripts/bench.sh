#!/usr/bin/env bash
# Scale benchmark: N apps on the simulated cloud and the embedded API; writes target/bench-report.md.
# Usage: scripts/bench.sh [N ...]   (default 10 50 100)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests test-compile
mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.scalableapp.operator.bench.ScaleBenchmark "$@"
