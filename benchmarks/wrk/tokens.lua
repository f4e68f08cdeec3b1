-- One API token per connection (run with as many wrk threads as connections: each thread holds
-- one connection), read from the file in WRK_TOKENS; optional WRK_METHOD / WRK_PATH / WRK_BODY.
local n = 0

function setup(thread)
  n = n + 1
  thread:set("id", n)
  track(thread)
end

function init(args)
  local tokens = {}
  for line in io.lines(os.getenv("WRK_TOKENS")) do tokens[#tokens + 1] = line end
  local token = tokens[(id - 1) % #tokens + 1]
  local headers = {["Authorization"] = "Bearer " .. token}
  local body = os.getenv("WRK_BODY")
  if body then headers["Content-Type"] = "application/json" end
  req = wrk.format(os.getenv("WRK_METHOD") or "GET", os.getenv("WRK_PATH"), headers, body)
end

function request()
  return req
end
