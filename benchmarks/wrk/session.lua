-- A signed-in browser: every request carries the session cookie in WRK_COOKIE (the whole
-- Cookie header value) and asks for WRK_PATH as a page (Accept: text/html). Counts 200 and
-- other answers (a redirect to the login page would be "other": the session did not hold).
function setup(thread)
  track(thread)
end

function init(args)
  req = wrk.format("GET", os.getenv("WRK_PATH"), {["Cookie"] = os.getenv("WRK_COOKIE"), ["Accept"] = "text/html"})
  counts = {ok200 = 0, other = 0}
end

function request()
  return req
end

function response(status, headers, body)
  if status == 200 then
    counts.ok200 = counts.ok200 + 1
  else
    counts.other = counts.other + 1
  end
end
