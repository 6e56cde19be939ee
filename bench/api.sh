#!/usr/bin/env bash
# bench/api: the GraphQL API under a closed-loop load (32 clients on loopback, 30 s per load) on a cached and an
# uncached query over the BI file of the 1M-housing build (bench/warehouse-build.sh makes it), next to the HTTP floor
# (/health) and the same SQL over JDBC from 32 threads. Writes its section of BENCHMARKS.md.
#
#   bench/api.sh [--bi FILE] [--seconds 30] [--clients 32] [--warm-up 5]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx4g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.ApiBenchmark "$@"
