-- Every request from another user: each thread (one connection) takes its API tokens of the
-- file in WRK_TOKENS and sends each request with the next one (WRK_METHOD, default GET, on
-- WRK_PATH). Counts 2xx and other answers, and requests sent after its tokens ran out (it
-- starts again from its first token: the file should hold more than the run needs).
-- include: per_thread.lua

function init(args)
  tokens = {}
  for _, line in ipairs(my_lines("WRK_TOKENS")) do tokens[#tokens + 1] = "Bearer " .. line end
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
