#!/usr/bin/env bash
# Fleet-scale benchmark: N apps in one region against the simulated cloud (calls counted at the
# cloud port) and against moto (every AWS SDK call counted at the HTTP level by a proxy, the operator
# in its own JVM with the chart's default heap). Writes target/bench-report.md.
# Usage: scripts/bench.sh [sim|moto ...] [N ...]   (default: sim 10 100 1000, then moto 10 100;
# `scripts/bench.sh moto 1000` on its own: moto itself becomes the bottleneck near 800 apps)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/moto/install.sh >/dev/null
mvn -B -q -ntp -DskipTests test-compile
mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx3g -Djava.util.logging.config.file=src/test/resources/jul.properties \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.scalableapp.operator.bench.ScaleBenchmark "$@"
