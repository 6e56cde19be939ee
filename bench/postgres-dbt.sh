#!/usr/bin/env bash
# bench/postgres-dbt: the warehouse's dbt project on a PostgreSQL warehouse, as shipped (its most-read LOVAC models as
# tables there, every table analyzed) against the same project with those models as views and no analyze.
# Needs the PostgreSQL of 127.0.0.1:5432 (user postgres, trust) or --postgres. Writes its section of BENCHMARKS.md.
#
#   bench/postgres-dbt.sh [--housings 100000] [--rounds 2]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx1g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.PostgresDbtBenchmark "$@"
