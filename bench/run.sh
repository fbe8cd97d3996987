#!/bin/sh
# Run the benchmarks on the build in $1 (default build) and print their
# figures. Record results in docs/benchmarks.md with the command used.
#
#   bench/run.sh [BUILD_DIR] [import|kpi|intake_http ...]
#
# Without names, bench_import only (the default of `make bench`).
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- import
persons=${PERSONS:-1000000}
intakes=${INTAKES:-1000000}
for b in "$@"; do
	case $b in
	import)
		echo "== bench_import ($persons persons)"
		"$build/bench/bench_import" --persons "$persons" ${VERIFY:+--verify "$VERIFY"}
		;;
	kpi)
		echo "== bench_kpi ($intakes intakes)"
		"$build/bench/bench_kpi" --intakes "$intakes" ${VERIFY_KPI:+--verify "$VERIFY_KPI"}
		;;
	intake_http)
		echo "== bench_intake_http"
		"$(dirname "$0")/bench_intake_http.sh" "$build"
		;;
	*)
		echo "bench/run.sh: unknown benchmark $b (import, kpi, intake_http)" >&2
		exit 2
		;;
	esac
done
