-- Paces each wrk connection: `delay()` milliseconds between one answer and the next
-- request (bench/status_page.py picks the connections and the delay for a target rate).
local pause = 0

function init(args)
  pause = tonumber(args[1]) or 0
end

function delay()
  return pause
end
