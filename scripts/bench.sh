#!/usr/bin/env bash
# Builds (build/, Release) and runs the batch throughput benchmark: `mlroast check` over the
# CPython standard library of the machine's python3 plus a generated 500-file ML project, next to
# a bare tree-sitter parse of the same files, then the 1x/2x/4x/8x scaling. Extra arguments go to
# the benchmark (see bench/README.md), e.g. scripts/bench.sh --threads 1 --no-scaling.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build -j2 --target mlroast mlroast_throughput_bench >&2
exec build/bench/mlroast_throughput_bench --mlroast build/mlroast "$@"
