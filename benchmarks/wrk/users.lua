-- Every request from another user: each thread (one connection; run wrk with as many threads as
-- connections, WRK_THREADS of them) takes every WRK_THREADS-th API token of the file in
-- WRK_TOKENS and sends each request with the next one (WRK_METHOD, default GET, on WRK_PATH).
-- Counts 2xx and other answers, and requests sent after its tokens ran out (it starts again
-- from its first token: the file should hold more than the run needs).
local n = 0

function setup(thread)
  n = n + 1
  thread:set("id", n)
  track(thread)
end

function init(args)
  local T = tonumber(os.getenv("WRK_THREADS"))
  tokens = {}
  local i = 0
  for line in io.lines(os.getenv("WRK_TOKENS")) do
    if i % T == id - 1 then tokens[#tokens + 1] = "Bearer " .. line end
    i = i + 1
  end
  method, path = os.getenv("WRK_METHOD") or "GET", os.getenv("WRK_PATH")
  k, wrapped = 0, false
  counts = {ok2xx = 0, other = 0, exhausted = 0}
end

function request()
  k = k + 1
  if k > #tokens then
    k, wrapped = 1, true
  end
  if wrapped then counts.exhausted = counts.exhausted + 1 end
  return wrk.format(method, path, {["Authorization"] = tokens[k]})
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    counts.ok2xx = counts.ok2xx + 1
  else
    counts.other = counts.other + 1
  end
end
