#!/bin/sh
# Full-stack read benchmark (issue 3): an authenticated GET of one person
# through session check, scope check, decryption, audit write (group
# commit, synchronous=FULL) and JSON, against the bare /healthz of the
# same server in the same run. wrk on loopback; fixed-seed demo data.
#
#   bench/bench_http.sh [BUILD_DIR] [THREADS]
set -eu
build=${1:-build}
threads=${2:-8}
dur=${DURATION:-10s}
conns=${CONNECTIONS:-64}
bin=$build/ctip
dir=$(mktemp -d /tmp/ctip-bench-http-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
command -v wrk >/dev/null || { echo "bench_http: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

"$bin" init --db "$dir/db" --key "$dir/key" --demo 10000 --seed 20261124 >/dev/null
# A case worker of the unit owning the first demo person.
unit=$(sqlite3 "$dir/db" 'SELECT o.admin_code FROM person p JOIN org_unit o ON o.id = p.owner_unit_id ORDER BY p.id LIMIT 1')
id=$(sqlite3 "$dir/db" 'SELECT min(id) FROM person')
pw=$("$bin" user add bench --db "$dir/db" --key "$dir/key" --name Bench \
	--admin-code "$unit" --roles case_worker | sed -n 's/.*one-time password: //p')
"$bin" serve --db "$dir/db" --key "$dir/key" --listen 127.0.0.1:0 \
	--threads "$threads" >"$dir/serve.out" 2>"$dir/serve.err" &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	port=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/serve.out")
	[ -n "$port" ] && break
	sleep 0.2
done
url=http://127.0.0.1:$port
curl -s -c "$dir/cj" -H 'Content-Type: application/json' \
	-d "{\"username\":\"bench\",\"password\":\"$pw\"}" "$url/api/session" >"$dir/login.json"
csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$dir/login.json")
curl -s -b "$dir/cj" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d "{\"current_password\":\"$pw\",\"new_password\":\"bench-password-1\"}" \
	"$url/api/session/password"
cookie=$(awk '$6 == "ctip_session" { print $7 }' "$dir/cj")
body=$(curl -s -H "Cookie: ctip_session=$cookie" "$url/api/persons/$id")
case $body in *full_name*) ;; *) echo "bench_http: GET person failed: $body" >&2; exit 1 ;; esac
before=$(sqlite3 "$dir/db" 'SELECT count(*) FROM audit_log')

echo "== GET /healthz (bare), $conns connections, $dur, server threads $threads"
wrk -t2 -c"$conns" -d"$dur" --latency "$url/healthz" | grep -E 'Requests/sec|99%|requests in'
echo "== GET /api/persons/$id (session, scope, decrypt, audit, JSON)"
wrk -t2 -c"$conns" -d"$dur" --latency -H "Cookie: ctip_session=$cookie" \
	"$url/api/persons/$id" | grep -E 'Requests/sec|99%|requests in|Non-2xx'
after=$(sqlite3 "$dir/db" 'SELECT count(*) FROM audit_log')
echo "audit rows written during the run: $((after - before))"
"$bin" audit verify --db "$dir/db" --key "$dir/key"
