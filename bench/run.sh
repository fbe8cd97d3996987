#!/bin/sh
# Run the benchmarks on the build in $1 (default build) and print their
# figures. Record results in docs/benchmarks.md with the command used.
#
#   bench/run.sh [BUILD_DIR] [import|kpi|case_kpi|stats|intake_http|search ...]
#
# Without names, bench_import only (the default of `make bench`).
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- import
persons=${PERSONS:-1000000}
intakes=${INTAKES:-1000000}
cases=${CASES:-200000}
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
	case_kpi)
		echo "== bench_case_kpi ($cases cases)"
		"$build/bench/bench_case_kpi" --cases "$cases" ${VERIFY_CASE_KPI:+--verify "$VERIFY_CASE_KPI"}
		;;
	stats)
		echo "== bench_stats ($persons persons)"
		"$build/bench/bench_stats" --persons "$persons" ${VERIFY_STATS:+--verify "$VERIFY_STATS"}
		;;
	intake_http)
		echo "== bench_intake_http"
		"$(dirname "$0")/bench_intake_http.sh" "$build"
		;;
	search)
		echo "== bench_search_http ($persons persons)"
		PERSONS=$persons "$(dirname "$0")/bench_search_http.sh" "$build"
		;;
	*)
		echo "bench/run.sh: unknown benchmark $b (import, kpi, case_kpi, stats, intake_http, search)" >&2
		exit 2
		;;
	esac
done
