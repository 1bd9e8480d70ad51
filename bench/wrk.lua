-- wrk script for `make bench` (bench/api.py): the bearer token, the method and a JSON body
-- come from the environment; the summary line at the end is what bench/api.py parses.
--   BENCH_TOKEN   an access token (the Authorization header), or empty for the floors
--   BENCH_TOKENS  several access tokens, comma-separated: each request goes as the next
--                 person (the threads start half a round apart), instead of BENCH_TOKEN
--   BENCH_METHOD  GET (default) or PUT
--   BENCH_BODY    the JSON body of a PUT, or empty; its {edit} (bench/api.py's EDIT_MARK)
--                 becomes each request's own mark (the run, the thread, the request), so
--                 every PUT edits the check-in: the same body again would write nothing
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.headers["Host"] = "127.0.0.1"
-- Production settings redirect plain http to https unless a trusted proxy says it was https.
wrk.headers["X-Forwarded-Proto"] = "https"
local token = os.getenv("BENCH_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local tokens = {}
for each in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do
  tokens[#tokens + 1] = each
end
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local edits = string.find(body, "{edit}", 1, true) ~= nil
local run = tostring(os.time())
local threads_made = 0

function setup(thread)
  thread:set("first", threads_made)
  threads_made = threads_made + 1
end

if #tokens > 0 or edits then
  local sent = 0
  function request()
    sent = sent + 1
    if #tokens > 0 then
      local start = (first or 0) * math.floor(#tokens / 2)
      wrk.headers["Authorization"] = "Bearer " .. tokens[(start + sent) % #tokens + 1]
    end
    if edits then
      local mark = run .. "-" .. tostring(first or 0) .. "-" .. tostring(sent)
      wrk.body = (string.gsub(body, "{edit}", mark))
    end
    return wrk.format()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_SUMMARY {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
