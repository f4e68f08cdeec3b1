-- Appended to every benchmark script: one JSON line (prefixed WRKJSON) with the totals and the
-- latency percentiles, and per-thread counters a script keeps in `counts` (setup must call track).
-- WRK_QUANTILES=n: also one line (prefixed WRKQUANTILES) with the latency at each of n evenly
-- spaced percentiles (100/n, 200/n, … 100), so that several wrk processes' latencies can be
-- merged into the percentiles of them all (wrk's Lua sees its histogram only through percentiles).
threads = threads or {}
local quantiles = tonumber(os.getenv("WRK_QUANTILES") or "0")

function track(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local e = summary.errors
  local extra = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    if c then
      for k, v in pairs(c) do extra[k] = (extra[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(extra) do table.insert(parts, string.format('"%s": %d', k, v)) end
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "counts": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, table.concat(parts, ", ")))
  if quantiles > 0 and summary.requests > 0 then
    local cells = {}
    for i = 1, quantiles do table.insert(cells, string.format("%d", latency:percentile(100 * i / quantiles))) end
    io.write(string.format('WRKQUANTILES {"latency_us": [%s]}\n', table.concat(cells, ", ")))
  end
end
