#!/usr/bin/env bash
# bench/warehouse-build: the warehouse built from nothing at 100k and 1M housings (7 LOVAC years) by `entrepot demo`
# with DUCKDB_MEMORY_LIMIT=4, then the dbt project rebuilt layer by layer: Entrepôt's engine against the same
# compiled SQL sent straight to DuckDB, peak memory of each. Writes its section of BENCHMARKS.md.
#
#   bench/warehouse-build.sh [--housings 100000,1000000] [--memory-limit 4]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx2g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.WarehouseBuildBenchmark "$@"
