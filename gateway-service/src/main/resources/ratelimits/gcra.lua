-- Generic cell rate algorithm over several buckets at once (e.g. tenant and caller), atomically:
-- the request is counted in every bucket only if every bucket allows it.
-- KEYS[i]: bucket key. ARGV[2i-1]: requests allowed per window. ARGV[2i]: window in milliseconds.
-- Returns {allowed (1/0), retry_after_ms, remaining, reset_ms, index of the tightest bucket}, where
-- remaining and reset describe the bucket with the fewest requests left after this one.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tats, new_tats, intervals, windows = {}, {}, {}, {}
local allowed = 1
local retry_after = 0
local tightest = 1
for i = 1, #KEYS do
  windows[i] = tonumber(ARGV[2 * i])
  intervals[i] = windows[i] / tonumber(ARGV[2 * i - 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  tats[i] = tat
  new_tats[i] = tat + intervals[i]
  local over = new_tats[i] - now - windows[i]
  if over > retry_after then
    allowed = 0
    retry_after = over
    tightest = i
  end
end
local remaining = -1
local reset = 0
for i = 1, #KEYS do
  local tat = tats[i]
  if allowed == 1 then
    tat = new_tats[i]
    redis.call('SET', KEYS[i], tostring(tat), 'PX', math.ceil(tat - now) + 1000)
  end
  local left = math.floor((windows[i] - (tat - now)) / intervals[i])
  if left < 0 then left = 0 end
  if allowed == 1 and (remaining < 0 or left < remaining) then
    remaining = left
    reset = tat - now
    tightest = i
  elseif allowed == 0 and i == tightest then
    remaining = left
    reset = tat - now
  end
end
return {allowed, math.ceil(retry_after), remaining, math.ceil(reset), tightest}
