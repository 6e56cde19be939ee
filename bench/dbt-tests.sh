#!/usr/bin/env bash
# bench/dbt-tests: 2,000 generic tests over a table of 1M rows, run by Entrepôt's dbt engine, against the same
# test queries sent straight to DuckDB in the same process. Writes its section of BENCHMARKS.md.
#
#   bench/dbt-tests.sh [--tests 2000] [--rows 1000000] [--rounds 2]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx2g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.DbtTestsBenchmark "$@"
