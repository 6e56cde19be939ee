#!/usr/bin/env bash
# bench/production-sync: the daily production sync at 1M housings (or --housings N), side by side in one run
# with the two-step floor (psql \copy to CSV, then DuckDB read_csv) and PostgreSQL's binary COPY (the ceiling).
# Writes its section of BENCHMARKS.md. Needs psql and a PostgreSQL server (127.0.0.1:5432, or
# ENTREPOT_DEMO_POSTGRES_URL); generates the database zlv_bench_1m on it the first time (about 30 s).
#
#   bench/production-sync.sh [--housings 1000000] [--rounds 2]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v psql >/dev/null || { echo "error: psql is needed for the floor and the ceiling (apt-get install postgresql-client)." >&2; exit 2; }
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx512m -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" \
  fr.zlv.entrepot.bench.ProductionSyncBenchmark "$@"
