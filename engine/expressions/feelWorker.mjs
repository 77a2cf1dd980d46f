/**
 * The FEEL sandbox worker (see feelSandbox.ts). It evaluates one expression at a time with
 * feelin, converts the result to plain JSON and checks its size, then posts the reply and
 * wakes the main thread, which waits on `signal` with Atomics.wait ([0] reply posted, [1] ready,
 * [2] this thread's kernel id). Plain JavaScript, so it runs under node, tsx and vitest alike
 * without a TypeScript loader in the worker.
 *
 * Messages in:  { source, variables, maxResultBytes }
 * Replies out:  { ok: true, value } | { ok: false, syntax, message, from? } | { ok: false, tooLarge: bytes }
 */
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { evaluate, FeelDate, FeelDateTime, FeelDuration, FeelFunction, FeelRange, FeelTime, SyntaxError as FeelSyntaxError } from 'feelin';

const { port, signal } = workerData;
const done = new Int32Array(signal);

class NotStorable extends Error {}

/** `/proc/thread-self` → `<pid>/task/<tid>` (the same as threadCpu.ts's ownThreadId: this file is plain JavaScript). */
function ownThreadId() {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 && tid < 2 ** 31 ? tid : 0;
  } catch {
    return 0;
  }
}

/** feelin values → JSON values: temporal values become their ISO text, non-finite numbers null. */
function toJson(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof FeelDate || value instanceof FeelDateTime || value instanceof FeelTime || value instanceof FeelDuration) {
    return value.toJSON();
  }
  if (value instanceof FeelFunction || typeof value === 'function') {
    throw new NotStorable('FEEL expression returned a function, which cannot be stored');
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof FeelRange) {
    return {
      start: toJson(value.start),
      end: toJson(value.end),
      startIncluded: value['start included'],
      endIncluded: value['end included'],
    };
  }
  if (typeof value === 'object') {
    const out = {};
    for (const [key, entry] of Object.entries(value)) out[key] = toJson(entry);
    return out;
  }
  return String(value);
}

function run({ source, variables, maxResultBytes }) {
  let value;
  try {
    value = evaluate(source, variables).value;
  } catch (error) {
    return {
      ok: false,
      syntax: error instanceof FeelSyntaxError,
      message: error instanceof Error ? error.message : String(error),
      from: error?.position?.from,
    };
  }
  try {
    const json = toJson(value);
    // The size a stored variable would take; measured here so a huge result never crosses over.
    const bytes = Buffer.byteLength(JSON.stringify(json) ?? 'null');
    if (bytes > maxResultBytes) return { ok: false, tooLarge: bytes };
    return { ok: true, value: json };
  } catch (error) {
    if (error instanceof NotStorable) return { ok: false, syntax: false, stored: true, message: error.message };
    return { ok: false, syntax: false, message: error instanceof Error ? error.message : String(error) };
  }
}

port.on('message', (request) => {
  port.postMessage(run(request));
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});

// Warm up before saying ready: a fresh worker's first evaluations compile feelin's interpreter
// and the date library, which took hundreds of ms on a loaded machine — charged to whatever
// expression came first, and past the blocking budget (expressions/budget.ts).
for (const warmUp of ['for i in 1..50 return i * 2', 'date("2020-01-01") + duration("P1D")', 'string join(["a", "b"], ",")', 'matches("abc", "^a")', '{a: [1, "x"]}.a[1]', 'count(sort([3, 1, 2], function(x, y) x < y))']) {
  run({ source: warmUp, variables: {}, maxResultBytes: 10_000 });
}

// This thread's kernel id, so that the main thread can read the processor time it uses
// (threadCpu.ts: /proc/self/task/<tid>); 0 where /proc is missing (not Linux).
Atomics.store(done, 2, ownThreadId());

// Ready: the main thread waits for this before its first request counts against a budget.
Atomics.store(done, 1, 1);
Atomics.notify(done, 1);
// And is told on its event loop, to start the next spare (sandboxWorkers.ts): one start at a time.
parentPort?.postMessage('ready');
