-- Shared by the scripts whose wrk threads each hold one connection and take their own share of
-- a file (run wrk with as many threads as connections, WRK_THREADS of them). A script names it
-- on a line `-- include: per_thread.lua`; _wrk.py puts it before the script.
local n = 0

function setup(thread)
  n = n + 1
  thread:set("id", n)
  track(thread)
end

-- This thread's lines of the file named by the environment variable `var`: every
-- WRK_THREADS-th line, starting from the thread's id.
function my_lines(var)
  local T = tonumber(os.getenv("WRK_THREADS"))
  local mine, i = {}, 0
  for line in io.lines(os.getenv(var)) do
    if i % T == id - 1 then mine[#mine + 1] = line end
    i = i + 1
  end
  return mine
end

-- Counts 2xx and other answers in the thread's `counts` (report.lua adds them up).
function response(status, headers, body)
  if status >= 200 and status < 300 then
    counts.ok2xx = counts.ok2xx + 1
  else
    counts.other = counts.other + 1
  end
end
