/**
 * FEEL runs in a worker thread with a heap limit, and the caller waits for it synchronously.
 *
 * Why: feelin evaluates synchronously and offers no step or size hook, so nothing inside the
 * main thread can stop `for i in 1..100000 return for j in 1..100000 return i` — a timer never
 * fires while it runs, and it grows the heap until the process dies. A worker can be
 * terminated at any point, and its `resourceLimits` make it die alone when it runs out of heap.
 * The callers (gateway conditions, formulas, routing rules, …) stay synchronous: the request is
 * posted to the worker and the main thread blocks on `Atomics.wait` with the time budget as
 * its timeout, then reads the reply with `receiveMessageOnPort`. A timed-out or dead worker is
 * terminated and replaced on the next call. Cost: about 0.1 ms per evaluation on top of feelin's own.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { engineLimits } from '../limits.ts';
import { refund } from './budget.ts';

export type SandboxReply =
  | { ok: true; value: unknown }
  | { ok: false; syntax: boolean; message: string; from?: number; stored?: boolean }
  | { ok: false; tooLarge: number }
  | { ok: false; timedOut: true };

interface SandboxWorker {
  worker: Worker;
  port: MessagePort;
  /** [0]: reply posted, [1]: worker ready. */
  flags: Int32Array;
  memoryMb: number;
  dead: boolean;
}

const WORKER_URL = new URL('./feelWorker.mjs', import.meta.url);
/** Starting a worker is not the expression's fault: it gets its own, generous wait. */
const STARTUP_TIMEOUT_MS = 30_000;

let current: SandboxWorker | null = null;

function spawn(memoryMb: number): SandboxWorker {
  const channel = new MessageChannel();
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(WORKER_URL, {
    workerData: { port: channel.port2, signal: flags.buffer },
    transferList: [channel.port2],
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(16, memoryMb) },
  });
  const sandbox: SandboxWorker = { worker, port: channel.port1, flags, memoryMb, dead: false };
  // A worker that ran out of heap reports it here; without a listener that would crash the process.
  worker.on('error', () => {
    sandbox.dead = true;
  });
  worker.on('exit', () => {
    sandbox.dead = true;
  });
  // Neither the worker nor its port may keep a finished process alive.
  worker.unref();
  channel.port1.unref();
  return sandbox;
}

function discard(sandbox: SandboxWorker): void {
  sandbox.dead = true;
  if (current === sandbox) current = null;
  if (spare === sandbox) spare = null;
  sandbox.port.close();
  void sandbox.worker.terminate();
}

/**
 * A second worker is kept started, to take over at once from one that was stopped: starting
 * one takes about 100 ms on a quiet machine and up to a second under load, and the evaluation
 * after a stopped one waited for it with the event loop held (found by the hostile-model
 * suite, test/integration/fuzz-models.test.ts).
 */
let spare: SandboxWorker | null = null;

function ready(): SandboxWorker {
  const memoryMb = engineLimits().expressionMemoryMb;
  if (current && (current.dead || current.memoryMb !== memoryMb)) discard(current);
  if (spare && (spare.dead || spare.memoryMb !== memoryMb)) discard(spare);
  if (!current) {
    current = spare ?? spawn(memoryMb);
    spare = null;
  }
  if (Atomics.load(current.flags, 1) === 0) {
    const started = performance.now();
    const outcome = Atomics.wait(current.flags, 1, 0, STARTUP_TIMEOUT_MS);
    refund(performance.now() - started);
    if (outcome === 'timed-out') {
      discard(current);
      throw new Error('The FEEL sandbox worker did not start');
    }
  }
  spare ??= spawn(memoryMb);
  return current;
}

/** Evaluates `source` in the sandbox, waiting at most `timeoutMs`. */
export function evaluateInSandbox(source: string, variables: Record<string, unknown>, timeoutMs: number): SandboxReply {
  const sandbox = ready();
  Atomics.store(sandbox.flags, 0, 0);
  sandbox.port.postMessage({ source, variables, maxResultBytes: engineLimits().expressionMaxResultBytes });
  if (Atomics.wait(sandbox.flags, 0, 0, timeoutMs) === 'timed-out') {
    // Still computing, or dead from lack of heap: either way it is of no more use.
    discard(sandbox);
    return { ok: false, timedOut: true };
  }
  let reply = receiveMessageOnPort(sandbox.port);
  // The worker raises the flag right after posting its reply, but on a loaded machine the
  // message can trail the flag: wait for it, 1 ms at a time, within the same budget. (Seen by
  // the hostile-model suite as a 500 "answered without a reply", about once in 30 concurrent starts.)
  const giveUpAt = performance.now() + timeoutMs;
  while (!reply && performance.now() < giveUpAt) {
    Atomics.wait(sandbox.flags, 1, 1, 1);
    reply = receiveMessageOnPort(sandbox.port);
  }
  if (!reply) {
    discard(sandbox);
    return { ok: false, timedOut: true };
  }
  return reply.message as SandboxReply;
}
