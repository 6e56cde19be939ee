#!/usr/bin/env bash
# bench/scale: the daily job at 1M and 5M housings, warehouse in DuckDB and in PostgreSQL, run by one worker process
# and by three (PostgreSQL run store). Needs the PostgreSQL of 127.0.0.1:5432 (user postgres, trust) or --postgres.
# Writes its section of BENCHMARKS.md. Takes hours at 5M; --skip-in-process leaves out the demo's own run of the job
# (the demo stops once the warehouse is built) and measures only the workers.
# Disk: the demo's copies of the yearly files and its re-imported warehouse are deleted once it is done, and each
# worker run starts without the previous run's BI file and serving schema; even so 5M on PostgreSQL needs about
# 65 GB free (warehouse 33 GB, production and serving schema 22 GB, sort spills 8 GB).
#
#   bench/scale.sh [--housings 1000000,5000000] [--engines duckdb,postgres] [--workers 1,3] [--memory-limit 4]
#                  [--skip-in-process]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx1g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.ScaleBenchmark "$@"
