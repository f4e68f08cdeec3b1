-- Answers of running attempts. Each thread (one connection) takes its lines of the file in
-- WRK_ANSWERS ("<token> <attempt id> <question id>:<option>,<question id>:<option>,..."): it
-- answers each of its users' questions in order, with that option, with that user's Bearer
-- token, then goes on to its next user. Counts 2xx answers, other answers, and requests sent
-- after its users ran out (a repeat of the last answer, which the unique constraint counts
-- once: the file should hold more than the run needs).
-- include: per_thread.lua

function init(args)
  users = {}
  for _, line in ipairs(my_lines("WRK_ANSWERS")) do
    local token, attempt, qs = line:match("^(%S+) (%d+) (%S+)$")
    local list = {}
    for q, r in qs:gmatch("(%d+):(%d+)") do list[#list + 1] = {q, r} end
    users[#users + 1] = {
      path = "/api/practice/attempts/" .. attempt .. "/answers",
      headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
      qs = list,
    }
  end
  u, k = 1, 0
  counts = {ok2xx = 0, other = 0, exhausted = 0}
end

function request()
  local user = users[u]
  k = k + 1
  if k > #user.qs then
    if u < #users then
      u, k = u + 1, 1
      user = users[u]
    else
      k = #user.qs
      counts.exhausted = counts.exhausted + 1
    end
  end
  local body = string.format('{"question": %s, "response": [%s]}', user.qs[k][1], user.qs[k][2])
  return wrk.format("POST", user.path, user.headers, body)
end
