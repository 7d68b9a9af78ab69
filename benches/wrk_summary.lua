-- What benches/post_ab.sh and benches/page_ab.sh print for one wrk run: one line with the
-- rate, the median and 99th-percentile latency, and the answers that were not 2xx.
function done(s, latency)
  io.write(string.format("%.0f req/s, p50 %.1f ms, p99 %.1f ms, %d answers not 2xx\n",
    s.requests / (s.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, s.errors.status))
end
