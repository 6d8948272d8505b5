#!/bin/sh
# ctest `sarif_schema`: runs `mlroast check --output-format sarif` on the example projects and
# validates the logs with validate.js. Needs `npm ci` in this folder first (setup.sh runs it).
# Usage: run.sh MLROAST_BINARY SOURCE_DIR
set -eu
bin=$1; src=$2
here=$src/tests/sarif
if [ ! -d "$here/node_modules/ajv" ]; then
  echo "tests/sarif/node_modules is missing: run 'npm ci' in tests/sarif (./setup.sh does)" >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src"
"$bin" check --output-format sarif --exit-zero examples/churn-project > "$out/churn.sarif"
"$bin" check --output-format sarif --exit-zero examples/clean-project > "$out/clean.sarif"
node "$here/validate.js" "$out/churn.sarif" "$out/clean.sarif"
