-- wrk script for bench/serve.py: every request asks for a random page of a numbered
-- kind below the URL's path: the pattern with %d replaced by a number from 1 to N
-- (the export's slugs: questions q-1 ... q-N, categories exam-1 ... exam-30).
-- The number is uniform (the default), or Zipf-distributed (s = 1: the page of rank k
-- is asked for in proportion to 1/k), ranks scattered over 1 ... N by a stride prime
-- to N, so the popular pages are not only the oldest questions (serve.py's
-- zipf_number() is the same mapping, for its probes).
-- Usage: wrk -s bench/random_page.lua http://127.0.0.1:8000/resources/ -- faq/q-%d/ 10000 [uniform|zipf]

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local function gcd(a, b)
  while b ~= 0 do
    a, b = b, a % b
  end
  return a
end

-- cumulative[k] = (1 + 1/2 + ... + 1/k) / (1 + ... + 1/N): a uniform draw's rank is
-- the first k whose cumulative weight reaches it (binary search).
local function zipf_table(n)
  local cumulative, total = {}, 0
  for k = 1, n do
    total = total + 1 / k
    cumulative[k] = total
  end
  for k = 1, n do
    cumulative[k] = cumulative[k] / total
  end
  return cumulative
end

local function zipf_rank(cumulative, n)
  local draw, low, high = math.random(), 1, n
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < draw then low = middle + 1 else high = middle end
  end
  return low
end

function init(args)
  pattern = args[1] or "faq/q-%d/"
  count = tonumber(args[2]) or 10000
  distribution = args[3] or "uniform"
  -- Each thread has its own Lua state: seed them apart, or both ask the same pages.
  math.randomseed(os.time() + 7919 * thread_number)
  prefix = wrk.path
  if distribution == "zipf" then
    cumulative = zipf_table(count)
    stride = 7919
    while gcd(stride, count) ~= 1 do stride = stride + 1 end
  elseif distribution ~= "uniform" then
    error("distribution must be uniform or zipf, not " .. distribution)
  end
end

function request()
  local number
  if distribution == "zipf" then
    number = (zipf_rank(cumulative, count) - 1) * stride % count + 1
  else
    number = math.random(1, count)
  end
  return wrk.format("GET", prefix .. string.format(pattern, number))
end
