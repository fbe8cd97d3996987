-- intake_post.lua: wrk script for bench/bench_intake_http.sh. Every
-- request POSTs one new hotline intake (a realistic Vietnamese call, the
-- same body each time) with the session cookie, the CSRF token and an
-- Idempotency-Key unique across threads and runs of one database:
-- "bench-<run>-<thread>-<counter>". Counts the answers by status so that the
-- script can check every 201 against the rows in the database.
--
-- Environment: CTIP_COOKIE, CTIP_CSRF, CTIP_RUN (a tag for this run).

local cookie = os.getenv("CTIP_COOKIE")
local csrf = os.getenv("CTIP_CSRF")
local run = os.getenv("CTIP_RUN") or "0"

local threads = {}
local next_id = 0

function setup(thread)
	thread:set("tid", next_id)
	next_id = next_id + 1
	table.insert(threads, thread)
end

local body = [[{"received_at":"2026-11-20T08:15:00Z","channel":"HOTLINE_111",]] ..
	[["language":"vi","province":"01","commune":"00004",]] ..
	[["summary":"Người gọi báo con gái Ánh, 17 tuổi, bị môi giới ở Quảng Ninh ]] ..
	[[hứa việc làm nhà hàng lương cao; từ tối 18/11 không liên lạc được, ]] ..
	[[nghi bị đưa qua biên giới Móng Cái.",]] ..
	[["reporter":{"anonymous":false,"name":"Trịnh Thị Khuyên","phone":"0934 567 812"},]] ..
	[["mentioned_phones":["0977 123 459"],"mentioned_names":["Phùng Văn Lượng"],]] ..
	[["classification":null,"purpose":null,"urgency":"high"}]]

local n = 0
created = 0
other = 0

function request()
	n = n + 1
	local headers = {
		["Cookie"] = "ctip_session=" .. cookie,
		["X-CSRF-Token"] = csrf,
		["Content-Type"] = "application/json",
		["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, tid, n),
	}
	return wrk.format("POST", "/api/intakes", headers, body)
end

function response(status, headers, resp_body)
	if status == 201 then
		created = created + 1
	else
		other = other + 1
		if other <= 3 then
			io.stderr:write(string.format("status %d: %s\n", status,
				resp_body))
		end
	end
end

function done(summary, latency, requests)
	local c, o = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		o = o + t:get("other")
	end
	io.write(string.format("201 answers: %d, other answers: %d\n", c, o))
end
