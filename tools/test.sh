#!/bin/sh
# Build ctip with AddressSanitizer and UndefinedBehaviorSanitizer in $1 and
# run every test: format check, unit tests (cmocka), end-to-end tests
# against the real binary, browser tests. Ends with "N passed, N failed".
set -u
build=${1:-build-test}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$build/test-logs
passed=0
failed=0

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fno-sanitize-recover=all >/dev/null ||
		exit 1
fi
ninja -C "$build" >/dev/null || { ninja -C "$build"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$log"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

count() { # name, passed, failed
	echo "== $1: $2 passed, $3 failed"
	passed=$((passed + $2))
	failed=$((failed + $3))
}

# Formatting is a test too: a diff is a failure.
if find src tests bench -name '*.[ch]' | xargs clang-format --dry-run -Werror \
	>"$log/format.log" 2>&1; then
	count format 1 0
else
	head -20 "$log/format.log"
	count format 0 1
fi

for t in "$build"/tests/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log/$name.log" 2>&1
	rc=$?
	ok=$(grep -c '^ok ' "$log/$name.log")
	bad=$(grep -c '^not ok ' "$log/$name.log")
	# A crash or sanitizer report after the last test is a failure too.
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
	[ "$bad" -eq 0 ] || { grep -v '^ok ' "$log/$name.log" | head -40; }
	count "$name" "$ok" "$bad"
done

node_suite() { # name, dir
	[ -n "$(ls "$2"/*.test.js 2>/dev/null)" ] || return 0
	CTIP_BIN="$top/$build/ctip" node --test --test-reporter=tap \
		"$2"/*.test.js >"$log/$1.log" 2>&1
	rc=$?
	ok=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log/$1.log" | tail -1)
	bad=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log/$1.log" | tail -1)
	ok=${ok:-0}
	bad=${bad:-0}
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
	[ "$bad" -eq 0 ] || grep -B2 -A30 '^not ok' "$log/$1.log" | head -80
	count "$1" "$ok" "$bad"
}
node_suite e2e tests/e2e
node_suite browser tests/browser

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
