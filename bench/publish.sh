#!/usr/bin/env bash
# bench/publish: publish the marts of a built warehouse (default: the one bench/warehouse-build.sh made at 1M housings)
# to each target, side by side with the dataframe round trip the team uses today, emulated in Java (every row read
# into memory through JDBC, then inserted into the BI file). Writes its section of BENCHMARKS.md.
#
#   bench/publish.sh [--warehouse FILE] [--postgres-url jdbc:postgresql://...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -Xmx4g -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.PublishBenchmark "$@"
