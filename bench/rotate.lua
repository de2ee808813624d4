-- Each request takes the next line of the file $BENCH_LINES (written by bench/prepare.py):
-- "cookie<TAB>path" for a GET, "cookie<TAB>path<TAB>body" for a form POST. So every request
-- is another student's (no per-user cache stays warm), and each answer POST is a first answer
-- on a fresh attempt. At the end it prints how many lines there were and how many requests
-- went out: requests beyond the lines are repeats, which bench/run.sh reports.
-- The file is read at the top, not in init(): wrk calls done() in a Lua state of its own,
-- where init() never ran.
local lines = {}
local next_line = 0
for line in io.lines(os.getenv("BENCH_LINES")) do
  local cookie, path, body = line:match("^([^\t]*)\t([^\t]*)\t?(.*)$")
  lines[#lines + 1] = { cookie = cookie, path = path, body = body }
end

request = function()
  next_line = next_line + 1
  local line = lines[(next_line - 1) % #lines + 1]
  local headers = { Cookie = line.cookie }
  if line.body ~= "" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", line.path, headers, line.body)
  end
  return wrk.format("GET", line.path, headers)
end

done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("rotate: lines %d requests %d errors %d\n", #lines, summary.requests, bad))
end
