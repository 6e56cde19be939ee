#!/usr/bin/env bash
# bench/reference-data: load every file of ../shared/reference-data (real INSEE and government tables) with
# one catalog entry each (bench/reference-data.yml) and compare the rows loaded with the files' line counts.
# Exits 1 when a count differs. Not part of ./mvnw verify: the files live outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d ../shared/reference-data ] || { echo "error: ../shared/reference-data is missing." >&2; exit 2; }
if [ ! -f entrepot-cli/target/entrepot.jar ] || [ ! -d bench/target/classes ]; then
  ./mvnw -q -DskipTests package
fi
exec java -cp "entrepot-cli/target/entrepot.jar:bench/target/classes" fr.zlv.entrepot.bench.ReferenceDataCheck \
  bench/reference-data.yml
