#!/usr/bin/env bash
# bench/dbt-parse: a generated dbt project of 1,000 models (chains and fan-ins, macros, YAML docs) parsed and
# compiled by Entrepôt's dbt engine, then run and compared with the same SQL sent straight to DuckDB in the same
# process. Writes its section of BENCHMARKS.md. The project stays in bench/target/dbt-project-N.
#
#   bench/dbt-parse.sh [--models 1000] [--rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx2g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.DbtParseBenchmark "$@"
