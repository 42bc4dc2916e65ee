-- wrk script for bench/serve.py: every request asks for a random page of a numbered
-- kind below the URL's path: the pattern with %d replaced by a number from 1 to N
-- (the export's slugs: questions q-1 ... q-N, categories exam-1 ... exam-30).
-- Usage: wrk -s bench/random_page.lua http://127.0.0.1:8000/resources/ -- faq/q-%d/ 10000

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  pattern = args[1] or "faq/q-%d/"
  count = tonumber(args[2]) or 10000
  -- Each thread has its own Lua state: seed them apart, or both ask the same pages.
  math.randomseed(os.time() + 7919 * thread_number)
  prefix = wrk.path
end

function request()
  return wrk.format("GET", prefix .. string.format(pattern, math.random(1, count)))
end
