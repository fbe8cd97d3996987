#!/bin/sh
# Search by name over 1,000,000 persons through the API (issue 5): GET
# /api/persons?q=... as two users of the same fixed-seed database:
#
#   cw   a case worker of the commune police unit owning the most persons
#        (its own unit's records: scope owner_unit_id);
#   pcw  a case worker of the police of the province with the most persons
#        (province scope: passes reason=, as it must to see identities).
#
# The queries are drawn (fixed seed) from the names each user is shown by
# GET /api/persons?limit=200, in six classes: the full name as written
# (full), the same without diacritics in lower case (full_ascii), family
# and given name (family_given), the given name alone (given, given_ascii)
# and names that match nothing (none: words that occur, never together, or
# a word that does not occur). Every search runs the name-token SQL, opens
# the matching persons and writes one "person.search" audit entry per
# person shown, committed before the answer.
#
# 1. A checksum pass: each query once; the ids of the answer, in order,
#    go into a SHA-256 (first 16 hex digits printed) so that runs can be
#    compared: same seed, same persons, same answers.
# 2. Latency: ROUNDS sequential passes over the list on one keep-alive
#    connection (one curl process, -w time_total per request, 1 us
#    resolution): p50/p90/p99/max per user and class, and overall. One
#    request at a time: the time of a search, not of a queue.
# 3. Throughput: wrk -t2 -cCONNECTIONS for DURATION with the same list
#    (bench/search_get.lua): requests/s and latency under load.
#
#   bench/bench_search_http.sh [BUILD_DIR] [THREADS]
#
# PERSONS (1000000), SEED (20261124), ROUNDS (8), CONNECTIONS (8),
# DURATION (10s). DB_DIR=dir keeps the database (db, key) and the query
# list (queries) in dir and reuses the database when it is there (for
# trying an index with sqlite3 between runs; EXTRA_SQL is run on it before
# the server starts).
set -eu
build=${1:-build}
threads=${2:-8}
persons=${PERSONS:-1000000}
seed=${SEED:-20261124}
rounds=${ROUNDS:-8}
conns=${CONNECTIONS:-8}
dur=${DURATION:-10s}
bin=$build/ctip
here=$(dirname "$0")
dir=$(mktemp -d /tmp/ctip-bench-search-XXXXXX)
db=${DB_DIR:-$dir}
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
for c in wrk sqlite3 curl iconv; do
	command -v $c >/dev/null || { echo "bench_search_http: $c is not installed" >&2; exit 1; }
done
export LC_ALL=C.UTF-8

ms() { date +%s%N | cut -c1-13; }
if [ ! -f "$db/db" ]; then
	mkdir -p "$db"
	t0=$(ms)
	"$bin" init --db "$db/db" --key "$db/key" --demo "$persons" --seed "$seed" >/dev/null
	echo "database: $persons demo persons, seed $seed, built in $(( $(ms) - t0 )) ms"
else
	echo "database: reused $db/db"
fi
[ -z "${EXTRA_SQL:-}" ] || sqlite3 "$db/db" "$EXTRA_SQL"
unit=$(sqlite3 "$db/db" 'SELECT o.admin_code FROM person p JOIN org_unit o ON o.id = p.owner_unit_id GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1')
prov=$(sqlite3 "$db/db" 'SELECT province_code FROM person GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1')
echo "cw: commune unit $unit ($(sqlite3 "$db/db" "SELECT count(*) FROM person p JOIN org_unit o ON o.id = p.owner_unit_id WHERE o.admin_code = '$unit'") persons); pcw: province $prov ($(sqlite3 "$db/db" "SELECT count(*) FROM person WHERE province_code = '$prov'") persons)"
tag=$$
adduser() { # name admin_code -> one-time password
	"$bin" user add "$1" --db "$db/db" --key "$db/key" --name "Bench $1" \
		--admin-code "$2" --roles case_worker | sed -n 's/.*one-time password: //p'
}
pw_cw=$(adduser "cw$tag" "$unit")
pw_pcw=$(adduser "pcw$tag" "$prov")

"$bin" serve --db "$db/db" --key "$db/key" --listen 127.0.0.1:0 \
	--threads "$threads" >"$dir/serve.out" 2>"$dir/serve.err" &
pid=$!
port=
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	port=$(sed -n 's|.*127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/serve.out" 2>/dev/null) || true
	[ -n "$port" ] && break
	sleep 0.2
done
[ -n "$port" ] || { echo "bench_search_http: the server did not start: $(cat "$dir/serve.err")" >&2; exit 1; }
url=http://127.0.0.1:$port
login() { # user password -> session cookie
	curl -s -c "$dir/cj.$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$2\"}" "$url/api/session" >"$dir/login.json"
	csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$dir/login.json")
	curl -s -b "$dir/cj.$1" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d "{\"current_password\":\"$2\",\"new_password\":\"bench-password-1\"}" \
		"$url/api/session/password" >/dev/null
	awk '$6 == "ctip_session" { print $7 }' "$dir/cj.$1"
}
ck_cw=$(login "cw$tag" "$pw_cw")
ck_pcw=$(login "pcw$tag" "$pw_pcw")

# The names each user sees (200 newest in scope), one per line.
names() { # cookie extra-query
	curl -s -H "Cookie: ctip_session=$1" "$url/api/persons?limit=200$2" |
		grep -o '"full_name":"[^"]*"' | sed 's/^"full_name":"//; s/"$//'
}
names "$ck_cw" "" >"$dir/names.cw"
names "$ck_pcw" "&reason=bench" >"$dir/names.pcw"
[ -s "$dir/names.cw" ] && [ -s "$dir/names.pcw" ] ||
	{ echo "bench_search_http: no names to search for" >&2; exit 1; }

# Fixed-seed choice of queries: "<class> <text>" per line. Park-Miller
# (exact in awk's doubles, the same in mawk and gawk), so the list does not
# depend on the awk's rand().
pick() { # names-file seed
	awk -v s="$2" '
	function rnd(n) { s = (s * 16807) % 2147483647; return int(s / 2147483647 * n) }
	{ name[NR] = $0 }
	END {
		split("full 8 full_ascii 8 family_given 8 given 6 given_ascii 6", c, " ")
		for (k = 1; k < 10; k += 2)
			for (j = 0; j < c[k + 1]; j++) {
				n = split(name[1 + rnd(NR)], w, " ")
				if (c[k] ~ /^full/) q = name[1 + rnd(NR)]
				else if (c[k] == "family_given") q = w[1] " " w[n]
				else q = w[n]
				print c[k], q
			}
		# Words that occur but never together (female middle name with
		# a male given name and the reverse), and words that do not.
		print "none Nguyễn Thị Khánh"
		print "none trần văn hoa"
		print "none Xuyến"
		print "none Lê Quang Zũng"
	}' "$1" | while read -r class text; do
		case $class in
		*_ascii) text=$(printf '%s' "$text" | iconv -f utf-8 -t ascii//TRANSLIT | tr 'A-Z' 'a-z') ;;
		esac
		printf '%s %s\n' "$class" "$text"
	done
}
urlenc() { printf '%s' "$1" | od -An -tx1 -v | tr -s ' \n' '  ' | sed 's/^ //; s/ $//; s/ /%/g; s/^/%/'; }
: >"$dir/queries"
for u in cw pcw; do
	case $u in cw) ck=$ck_cw extra='' s=$seed ;; pcw) ck=$ck_pcw extra='&reason=bench' s=$((seed + 1)) ;; esac
	pick "$dir/names.$u" $((s % 2147483646 + 1)) | while read -r class text; do
		printf '%s %s %s /api/persons?q=%s&limit=50%s %s\n' "$u" "$class" "$ck" \
			"$(urlenc "$text")" "$extra" "$text"
	done >>"$dir/queries"
done
nq=$(wc -l <"$dir/queries")
# With DB_DIR, the list stays beside the database: "<user> <path>" lines.
[ -z "${DB_DIR:-}" ] || awk '{ print $1, $4 }' "$dir/queries" >"$db/queries"
awk '{ printf "%s", $1 " " $2 ": "; for (i = 5; i <= NF; i++) printf "%s%s", $i, i < NF ? " " : "\n" }' \
	"$dir/queries" | awk '{ k = $1 " " $2; a[k] = a[k] (a[k] == "" ? "" : ", ") substr($0, length(k) + 2) }
	END { for (k in a) print "  " k " " a[k] }' | sort >"$dir/list"
echo "queries: $nq (per user: 8 full, 8 full_ascii, 8 family_given, 6 given, 6 given_ascii, 4 none)"
cat "$dir/list"

# 1. Checksum of the answers.
while read -r u class ck path text; do
	body=$(curl -s -H "Cookie: ctip_session=$ck" "$url$path")
	case $body in '{"items":'*) ;; *) echo "bench_search_http: $u $class \"$text\": $body" >&2; exit 1 ;; esac
	ids=$(printf '%s' "$body" | grep -o '[{,]"id":[0-9]*' | sed 's/.*://' | tr '\n' ' ')
	printf '%s %s %s: %s\n' "$u" "$class" "$text" "$ids"
done <"$dir/queries" >"$dir/answers"
results=$(awk -F': ' '{ n += split($2, x, " ") } END { print n }' "$dir/answers")
echo "answers: $results persons in $nq answers; checksum $(sha256sum <"$dir/answers" | cut -c1-16)"
awk -F": " '{ split($1, w, " "); n = split($2, x, " "); c[w[1] " " w[2]] += n; q[w[1] " " w[2]]++ }
	END { for (k in c) printf "  %s: %.1f persons per answer\n", k, c[k] / q[k] }' "$dir/answers" | sort

# 2. Sequential latency, one keep-alive connection per user.
echo "load average: $(cat /proc/loadavg)"
for u in cw pcw; do
	case $u in cw) ck=$ck_cw ;; pcw) ck=$ck_pcw ;; esac
	r=0
	while [ "$r" -lt "$rounds" ]; do
		awk -v u=$u -v url="$url" '$1 == u { print "url = \"" url $4 "\""; print "output = /dev/null" }' "$dir/queries"
		r=$((r + 1))
	done >"$dir/curl.$u"
	r=0
	while [ "$r" -lt "$rounds" ]; do awk -v u=$u '$1 == u { print $1, $2 }' "$dir/queries"; r=$((r + 1)); done >"$dir/labels.$u"
	# A warm-up pass (not counted), then the timed passes.
	awk -v u=$u -v url="$url" '$1 == u { print "url = \"" url $4 "\""; print "output = /dev/null" }' "$dir/queries" >"$dir/warm.$u"
	curl -s -H "Cookie: ctip_session=$ck" -K "$dir/warm.$u" >/dev/null
	t0=$(ms)
	curl -s -H "Cookie: ctip_session=$ck" -K "$dir/curl.$u" -w '%{http_code} %{time_total}\n' >"$dir/times.$u"
	echo "$u: $(wc -l <"$dir/times.$u") requests in $(( $(ms) - t0 )) ms"
	paste -d' ' "$dir/labels.$u" "$dir/times.$u" >>"$dir/lat"
done
if awk '$3 != 200 { bad++ } END { exit bad > 0 ? 0 : 1 }' "$dir/lat"; then
	echo "bench_search_http: answers other than 200 in the latency pass" >&2
	exit 1
fi
echo "== sequential latency (ms), $rounds rounds, one request at a time"
pct() { # label: reads seconds on stdin
	sort -g | awk -v l="$1" '{ t[NR] = $1 * 1000 }
	function p(q,  i) { i = int(q * NR + 0.999999); if (i < 1) i = 1; return t[i] }
	END { printf "%-20s %6d %8.1f %8.1f %8.1f %8.1f\n", l, NR, p(0.5), p(0.9), p(0.99), t[NR] }'
}
printf '%-20s %6s %8s %8s %8s %8s\n' "user class" n p50 p90 p99 max
for u in cw pcw; do
	for c in full full_ascii family_given given given_ascii none; do
		awk -v u=$u -v c=$c '$1 == u && $2 == c { print $4 }' "$dir/lat" | pct "$u $c"
	done
	awk -v u=$u '$1 == u { print $4 }' "$dir/lat" | pct "$u all"
done
awk '{ print $4 }' "$dir/lat" | pct "overall"

# 3. Throughput with CONNECTIONS concurrent searches.
awk '{ print $3, $4 }' "$dir/queries" >"$dir/wrk.queries"
echo "== wrk -t2 -c$conns -d$dur, all $nq queries in turn, server threads $threads"
audit0=$(sqlite3 "$db/db" 'SELECT count(*) FROM audit_log')
CTIP_QUERIES=$dir/wrk.queries wrk -t2 -c"$conns" -d"$dur" -s "$here/search_get.lua" "$url/" >"$dir/wrk.out"
grep -E 'Requests/sec|requests in|Socket errors|answers|latency p|latency max' "$dir/wrk.out"
audit1=$(sqlite3 "$db/db" 'SELECT count(*) FROM audit_log')
echo "audit entries written during the wrk run: $((audit1 - audit0))"
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
# Every person shown was audited ("person.search"); the chain must hold.
"$bin" audit verify --db "$db/db" --key "$db/key" | head -1
