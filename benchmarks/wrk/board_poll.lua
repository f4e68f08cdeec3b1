-- A viewer of the live board: polls the board's partial, sends back the ETag it last got
-- (as a browser does), and waits about WRK_DELAY_MS between polls (uniformly 0.5–1.5 × it, so
-- phones do not poll in lockstep; 0: as fast as possible). Counts 200 and 304 answers per thread.
-- WRK_FIRST_AT_ONCE=n: the first n polls of a thread (one per connection: each connection asks
-- for its first delay as soon as it is connected) leave at once, as a phone sends its request
-- the moment it has connected. (A connection left idle before its first request holds one of
-- gunicorn gthread's threads until it speaks — a deployment's proxy never sends the server such
-- a connection.)
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
local at_once = tonumber(os.getenv("WRK_FIRST_AT_ONCE") or "0")
local asked = 0

function setup(thread)
  track(thread)
end

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
  etag = nil
  counts = {ok200 = 0, not_modified304 = 0, other = 0}
end

function delay()
  asked = asked + 1
  if pause == 0 or asked <= at_once then return 0 end
  return math.random(math.floor(pause / 2), math.floor(pause * 3 / 2))
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
