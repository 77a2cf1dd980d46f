// Preloaded into each soak node (NODE_OPTIONS=--import …/nodeProbe.mjs): once a second it
// appends the process's memory and event-loop delay to LIUZHUAN_SOAK_PROBE_FILE as one JSON
// line, so the soak can chart a node from outside without an endpoint in the product.
// Plain JavaScript: it loads before tsx does.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.LIUZHUAN_SOAK_PROBE_FILE;
const RESOLUTION_MS = 10;
const lag = (nanoseconds) => Math.max(0, Math.round((nanoseconds / 1e6 - RESOLUTION_MS) * 10) / 10);

if (file) {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    const line = {
      at: Date.now(),
      rssMb: Math.round((memory.rss / 1048576) * 10) / 10,
      heapUsedMb: Math.round((memory.heapUsed / 1048576) * 10) / 10,
      // Nanoseconds → ms, less the 10 ms the histogram's timer waits by design.
      lagP99Ms: lag(delay.percentile(99)),
      lagMaxMs: lag(delay.max),
    };
    delay.reset();
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the soak's folder went away: nothing left to report to
    }
  }, 1_000);
  timer.unref();
}
