-- One API token per connection (one wrk thread each): the thread's id picks its line of the
-- file in WRK_TOKENS (wrapping round); optional WRK_METHOD / WRK_PATH / WRK_BODY.
-- include: per_thread.lua

function init(args)
  local tokens = {}
  for line in io.lines(os.getenv("WRK_TOKENS")) do tokens[#tokens + 1] = line end
  local token = tokens[(id - 1) % #tokens + 1]
  local headers = {["Authorization"] = "Bearer " .. token}
  local body = os.getenv("WRK_BODY")
  if body then headers["Content-Type"] = "application/json" end
  req = wrk.format(os.getenv("WRK_METHOD") or "GET", os.getenv("WRK_PATH"), headers, body)
  counts = {ok2xx = 0, other = 0}
end

function request()
  return req
end
