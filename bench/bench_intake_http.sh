#!/bin/sh
# Intake creation throughput through the API (issue 4): wrk POSTs new
# hotline intakes (bench/intake_post.lua: a realistic Vietnamese call with
# reporter, a mentioned phone and name, a unique Idempotency-Key per
# request) as a hotline operator of Phường Ba Đình. Each intake is one
# transaction: validation, sealing of summary, reporter and mentions,
# blind indexes, intake and mention rows, the "intake.create" audit entry,
# COMMIT with synchronous=FULL; then the 201 answer with the record read
# back (an identity read: audited "intake.read" through the audit
# writer's group commit). Afterwards every 201 must be a row (a committed
# intake; a few more may have been in flight when wrk stopped), and the
# audit chain must verify. Prints the load average first: the machine is
# shared, and runs vary with it.
#
#   bench/bench_intake_http.sh [BUILD_DIR] [THREADS]
#
# DURATION and CONNECTIONS override wrk's 10s and 32; EXTRA_SQL is run on
# the new database before the server starts (to try a candidate index).
set -eu
build=${1:-build}
threads=${2:-8}
dur=${DURATION:-10s}
conns=${CONNECTIONS:-32}
bin=$build/ctip
here=$(dirname "$0")
dir=$(mktemp -d /tmp/ctip-bench-intake-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
command -v wrk >/dev/null || { echo "bench_intake_http: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench_intake_http: sqlite3 is not installed" >&2; exit 1; }

"$bin" init --db "$dir/db" --key "$dir/key" --demo 0 >/dev/null
[ -z "${EXTRA_SQL:-}" ] || sqlite3 "$dir/db" "$EXTRA_SQL"
pw=$("$bin" user add op1 --db "$dir/db" --key "$dir/key" --name "Nguyễn Thị Hoa" \
	--admin-code 00004 --roles hotline_operator | sed -n 's/.*one-time password: //p')
"$bin" serve --db "$dir/db" --key "$dir/key" --listen 127.0.0.1:0 \
	--threads "$threads" >"$dir/serve.out" 2>"$dir/serve.err" &
pid=$!
port=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	port=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/serve.out")
	[ -n "$port" ] && break
	sleep 0.2
done
url=http://127.0.0.1:$port
curl -s -c "$dir/cj" -H 'Content-Type: application/json' \
	-d "{\"username\":\"op1\",\"password\":\"$pw\"}" "$url/api/session" >"$dir/login.json"
csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$dir/login.json")
curl -s -b "$dir/cj" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d "{\"current_password\":\"$pw\",\"new_password\":\"bench-password-1\"}" \
	"$url/api/session/password"
cookie=$(awk '$6 == "ctip_session" { print $7 }' "$dir/cj")
csrf=$(curl -s -H "Cookie: ctip_session=$cookie" "$url/api/session" |
	sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
# One intake by hand: the body and headers are accepted (201).
code=$(curl -s -o "$dir/first.json" -w '%{http_code}' -H "Cookie: ctip_session=$cookie" \
	-H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-H 'Idempotency-Key: bench-first-1' \
	-d '{"received_at":"2026-11-20T08:15:00Z","channel":"HOTLINE_111","province":"01","commune":"00004","summary":"Cuộc gọi thử","reporter":{"anonymous":true}}' \
	"$url/api/intakes")
[ "$code" = 201 ] || { echo "bench_intake_http: POST /api/intakes answered $code: $(cat "$dir/first.json")" >&2; exit 1; }
before=$(sqlite3 "$dir/db" 'SELECT count(*) FROM intake')
audit_before=$(sqlite3 "$dir/db" 'SELECT count(*) FROM audit_log')

echo "load average: $(cat /proc/loadavg)"
echo "== POST /api/intakes, $conns connections, $dur, wrk -t2, server threads $threads"
# The server's CPU time (user + system, clock ticks) around the run.
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
cpu0=$(cpu)
CTIP_COOKIE=$cookie CTIP_CSRF=$csrf CTIP_RUN=$$ \
	wrk -t2 -c"$conns" -d"$dur" --latency -s "$here/intake_post.lua" "$url/api/intakes" >"$dir/wrk.out"
cpu1=$(cpu)
grep -E 'Requests/sec| 50%| 90%| 99%|requests in|Non-2xx|Socket errors|201 answers' "$dir/wrk.out"
grep -q 'Non-2xx' "$dir/wrk.out" || echo "Non-2xx or 3xx responses: 0"
awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v d="$dur" -v n="$(nproc)" \
	'BEGIN { printf "server CPU during the run: %.1f s in %s on %d cores (shared with wrk)\n", t / hz, d, n }'
# Let the server finish what was in flight when wrk stopped.
sleep 1
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
created=$(sed -n 's/^201 answers: \([0-9]*\),.*/\1/p' "$dir/wrk.out")
after=$(sqlite3 "$dir/db" 'SELECT count(*) FROM intake')
audit_after=$(sqlite3 "$dir/db" 'SELECT count(*) FROM audit_log')
rows=$((after - before))
echo "intake rows written during the run: $rows (201 answers: $created;" \
	"at most $conns more may have been in flight when wrk stopped)"
echo "audit rows written during the run: $((audit_after - audit_before))"
if [ "$rows" -lt "$created" ] || [ "$rows" -gt $((created + conns)) ]; then
	echo "bench_intake_http: $created intakes acknowledged but $rows rows" >&2
	exit 1
fi
sqlite3 "$dir/db" 'SELECT count(*) FROM intake_mention' |
	awk -v n="$after" '{ printf "mention rows: %d (%.2f per intake)\n", $1, $1 / n }'
"$bin" audit verify --db "$dir/db" --key "$dir/key"
