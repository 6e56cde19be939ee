#!/usr/bin/env bash
# bench/file-load: a ~1 GB LOVAC-like CSV loaded by Entrepôt (with every check) and by DuckDB's plain read_csv
# in the same run, and the XLSX reader's rows/s. Writes its section of BENCHMARKS.md. The generated files stay
# in bench/target/data (about 1.1 GB) for the next run.
#
#   bench/file-load.sh [--housings 3800000] [--rounds 2] [--xlsx-rows 300000]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx2g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.FileLoadBenchmark "$@"
