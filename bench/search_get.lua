-- search_get.lua: wrk script for bench/bench_search_http.sh. Every request
-- is one GET /api/persons?q=... from the fixed query list of the run (both
-- users, every class), taken in turn; each wrk thread starts at a different
-- place in the list. Counts the answers that are not 200.
--
-- Environment: CTIP_QUERIES, a file of lines "<session cookie> <path>".

local queries = {}
local threads = {}
local next_id = 0

function setup(thread)
	thread:set("tid", next_id)
	next_id = next_id + 1
	table.insert(threads, thread)
end

local i = 0

function init(args)
	for line in io.lines(os.getenv("CTIP_QUERIES")) do
		local cookie, path = line:match("^(%S+) (%S+)$")
		if cookie then
			table.insert(queries, { cookie = cookie, path = path })
		end
	end
	i = (tid * 17) % #queries
end

ok = 0
other = 0

function request()
	i = i % #queries + 1
	local q = queries[i]
	return wrk.format("GET", q.path, { ["Cookie"] = "ctip_session=" .. q.cookie })
end

function response(status, headers, body)
	if status == 200 then
		ok = ok + 1
	else
		other = other + 1
		if other <= 3 then
			io.stderr:write(string.format("status %d: %s\n", status, body))
		end
	end
end

function done(summary, latency, requests)
	local o, x = 0, 0
	for _, t in ipairs(threads) do
		o = o + t:get("ok")
		x = x + t:get("other")
	end
	io.write(string.format("200 answers: %d, other answers: %d\n", o, x))
	for _, p in ipairs({ 50, 90, 99, 99.9 }) do
		io.write(string.format("latency p%g: %.2f ms\n", p,
			latency:percentile(p) / 1000))
	end
	io.write(string.format("latency max: %.2f ms\n", latency.max / 1000))
end
