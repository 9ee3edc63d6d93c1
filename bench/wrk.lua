-- wrk script of bench/server.py: one scenario's request, and its result as one parseable line.
--
-- BENCH_METHOD      GET (default) or POST
-- BENCH_TOKENS      access tokens, comma-separated: one is sent on every request; several are
--                   taken in turn (each thread from its own starting point)
-- BENCH_BODY_FILE   a file whose bytes are the body (POST)
-- BENCH_CONTENT_TYPE  the body's Content-Type
-- BENCH_FRESH       when set, every request's address differs (a "fresh" parameter counting up),
--                   so no kept page (core/lists.py) answers it: what a page costs to render
--
-- The path comes from the URL on wrk's command line. done() prints
-- BENCH_RESULT {json}: requests, duration (µs), socket errors, HTTP >= 400 answers, latency
-- percentiles (µs).

local tokens = {}
for token in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do
   tokens[#tokens + 1] = token
end

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body_file = os.getenv("BENCH_BODY_FILE") or ""
if body_file ~= "" then
   local file = assert(io.open(body_file, "rb"))
   wrk.body = file:read("*a")
   file:close()
end
local content_type = os.getenv("BENCH_CONTENT_TYPE") or ""
if content_type ~= "" then
   wrk.headers["Content-Type"] = content_type
end
if #tokens >= 1 then
   wrk.headers["Authorization"] = "Bearer " .. tokens[1]
end

local fresh = (os.getenv("BENCH_FRESH") or "") ~= ""
if #tokens > 1 or fresh then
   local turn = 0
   local count = 0
   local path = wrk.path
   local joiner = string.find(path, "?", 1, true) and "&" or "?"
   init = function(args)
      turn = math.random(#tokens)
      count = math.random(1000000000)
   end
   -- Defined only when tokens rotate or addresses change: without request(), wrk builds the
   -- request once.
   request = function()
      if #tokens > 1 then
         turn = turn % #tokens + 1
         wrk.headers["Authorization"] = "Bearer " .. tokens[turn]
      end
      if fresh then
         count = count + 1
         return wrk.format(nil, path .. joiner .. "fresh=" .. count)
      end
      return wrk.format()
   end
end

done = function(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
      '"write": %d, "timeout": %d, "status": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
      '"mean": %.1f}\n',
      summary.requests, summary.duration, errors.connect, errors.read, errors.write,
      errors.timeout, errors.status, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.mean))
end
