-- A viewer of the live board: polls the board's partial, sends back the ETag it last got
-- (as a browser does), and waits WRK_DELAY_MS between polls (0: as fast as possible).
-- Counts 200 and 304 answers per thread.
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function setup(thread)
  track(thread)
end

function init(args)
  etag = nil
  counts = {ok200 = 0, not_modified304 = 0, other = 0}
end

function delay()
  return pause
end

function request()
  if etag then
    return wrk.format("GET", nil, {["If-None-Match"] = etag})
  end
  return wrk.format("GET")
end

function response(status, headers, body)
  if status == 200 then
    counts.ok200 = counts.ok200 + 1
  elseif status == 304 then
    counts.not_modified304 = counts.not_modified304 + 1
  else
    counts.other = counts.other + 1
  end
  if headers["ETag"] then etag = headers["ETag"] end
end
