#!/usr/bin/env bash
# bench/orchestrator: launch latency and per-step overhead of Entrepôt's orchestrator on a graph of 2,000 no-op
# assets (SQLite run store), against the same steps called in a plain loop in the same process; and the demo's daily
# job through the orchestrator against the same work called directly. Writes its section of BENCHMARKS.md.
#
#   bench/orchestrator.sh [--assets 2000] [--rounds 3] [--launches 50]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx2g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.OrchestratorBenchmark "$@"
