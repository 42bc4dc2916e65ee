-- wrk script for bench/serve.py: every request asks for a random question,
-- <path>faq/q-<1..N>/ below the URL's path (the export's slugs are q-1 ... q-N).
-- Usage: wrk -s bench/random_question.lua http://127.0.0.1:8000/resources/ -- N

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  count = tonumber(args[1]) or 10000
  -- Each thread has its own Lua state: seed them apart, or both ask the same questions.
  math.randomseed(os.time() + 7919 * thread_number)
  prefix = wrk.path
end

function request()
  return wrk.format("GET", prefix .. "faq/q-" .. math.random(1, count) .. "/")
end
