-- Counts one failed authentication for a subject (an address or an account) and blocks the subject
-- when it has failed too often within the window; each new block lasts twice the previous one.
-- KEYS: failures counter, strikes counter, block flag.
-- ARGV: max failures, window ms, first block ms, longest block ms, strike memory ms.
-- Returns the block imposed now in ms, or 0.
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if failures < tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
local strikes = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
local block = tonumber(ARGV[3]) * (2 ^ (strikes - 1))
if block > tonumber(ARGV[4]) then block = tonumber(ARGV[4]) end
redis.call('SET', KEYS[3], '1', 'PX', math.floor(block))
return math.floor(block)
