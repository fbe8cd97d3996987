#!/bin/sh
# Run the benchmarks on the build in $1 (default build) and print their
# figures. Record results in docs/benchmarks.md with the command used.
set -eu
build=${1:-build}
persons=${PERSONS:-1000000}
echo "== bench_import ($persons persons)"
"$build/bench/bench_import" --persons "$persons" ${VERIFY:+--verify "$VERIFY"}
