/**
 * The health watcher's probe loop (see healthWatch.ts), in a worker thread so that it keeps
 * its own clock: a probe in the server's own thread could not even be sent while the server's
 * event loop is blocked, and would never see the block. Plain JavaScript, so it runs under
 * node, tsx and vitest alike without a TypeScript loader in the worker.
 *
 * workerData: { url, everyMs, timeoutMs }. Messages in: { label } | { stop: true }.
 * Messages out: { ready: true } after a first, unrecorded probe; { sample: { at, ms, status, during } }
 * per probe; { stopped: true } at the end.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const { url, everyMs, timeoutMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const started = performance.now();
let during = 'idle';
/** Every label set while the probe in flight waited: a slow answer belongs to all of them. */
let seenInFlight = [];
let running = true;
let wake;

parentPort.on('message', (message) => {
  if (message.label !== undefined) {
    during = message.label;
    seenInFlight.push(message.label);
  }
  if (message.stop) {
    running = false;
    wake?.();
  }
});

function probe() {
  return new Promise((resolve) => {
    const request = http.get(url, { agent, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(0));
  });
}

// The first request opens the connection and loads the HTTP client in this fresh thread (up to
// a second on a loaded machine): not the server's time, so not a sample.
await probe();
parentPort.postMessage({ ready: true });

while (running) {
  const sentAt = performance.now();
  seenInFlight = [during];
  const status = await probe();
  parentPort.postMessage({ sample: { at: Math.round(sentAt - started), ms: performance.now() - sentAt, status, during: seenInFlight.join(' → ') } });
  if (!running) break;
  await new Promise((resolve) => {
    wake = resolve;
    setTimeout(resolve, everyMs);
  });
}
agent.destroy();
parentPort.postMessage({ stopped: true });
