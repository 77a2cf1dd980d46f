/**
 * The FEEL sandbox's worker threads (feelWorker.mjs): the one in use, and spares started ahead
 * of need. A stopped expression's worker is terminated (nothing else can interrupt feelin),
 * and the next evaluation must not wait for a new one to start with the event loop held:
 * starting one takes about 100 ms on a quiet machine and up to a second under load.
 *
 * One spare is kept started; after a stop, two, for a minute, so that expressions stopped in
 * quick succession (an attack, or the hostile-model suite) each find one that finished starting.
 * The replacements start at the stop, not at the next evaluation, so their start overlaps with
 * whatever the event loop does in between. They start one at a time, each when the one before
 * has said it is ready: a start costs 100–400 ms of processor time, and two at once took both
 * of a two-core machine's processors from the event loop finishing the stopped command (the
 * first stops in a fresh process held health 200–360 ms, later ones under 180).
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { engineLimits } from '../limits.ts';
import { threadCpuClock, type ThreadCpuClock, type ThreadTimes } from './threadCpu.ts';

export interface SandboxWorker {
  worker: Worker;
  port: MessagePort;
  /** [0]: reply posted, [1]: worker ready, [2]: the worker thread's kernel id (0 where unknown). */
  flags: Int32Array;
  memoryMb: number;
  dead: boolean;
  /** The worker thread's processor time (threadCpu.ts); null where it cannot be read, undefined until ready. */
  cpu: ThreadCpuClock | null | undefined;
}

const WORKER_URL = new URL('./feelWorker.mjs', import.meta.url);
/** Starting a worker is not the expression's fault: it gets its own, generous wait. */
const STARTUP_TIMEOUT_MS = 30_000;
/** Spares kept started normally, and for CALM_AFTER_MS after a stop. */
const SPARES = 1;
const SPARES_AFTER_STOP = 2;
const CALM_AFTER_MS = 60_000;

let current: SandboxWorker | null = null;
/** Oldest first: the oldest is the likeliest to have finished starting. */
let spares: SandboxWorker[] = [];
let lastStopAt = -Infinity;

function spawn(memoryMb: number): SandboxWorker {
  const channel = new MessageChannel();
  const flags = new Int32Array(new SharedArrayBuffer(12));
  const worker = new Worker(WORKER_URL, {
    workerData: { port: channel.port2, signal: flags.buffer },
    transferList: [channel.port2],
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(16, memoryMb) },
  });
  const sandbox: SandboxWorker = { worker, port: channel.port1, flags, memoryMb, dead: false, cpu: undefined };
  // Its one message on the parent port: ready. The next spare, if one is wanted, starts now.
  worker.once('message', () => {
    if (!sandbox.dead) topUpSpares(memoryMb);
  });
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

function isReady(sandbox: SandboxWorker): boolean {
  return Atomics.load(sandbox.flags, 1) === 1;
}

function discard(sandbox: SandboxWorker): void {
  sandbox.dead = true;
  if (current === sandbox) current = null;
  spares = spares.filter((spare) => spare !== sandbox);
  sandbox.cpu?.close();
  sandbox.port.close();
  void sandbox.worker.terminate();
}

/** A worker of the sandbox's (the one in use or a spare) still starting. */
function anyStarting(): boolean {
  return (current !== null && !current.dead && !isReady(current)) || spares.some((spare) => !spare.dead && !isReady(spare));
}

/**
 * Starts a spare if fewer are kept than the last stop calls for and none is starting (the one
 * starting calls this again when ready), or ends the extra ones.
 */
function topUpSpares(memoryMb: number): void {
  const wanted = performance.now() - lastStopAt < CALM_AFTER_MS ? SPARES_AFTER_STOP : SPARES;
  if (spares.length < wanted && !anyStarting()) spares.push(spawn(memoryMb));
  // The newest goes first: it is the one least likely to have finished starting.
  while (spares.length > wanted) discard(spares[spares.length - 1]);
}

/** A started spare if there is one, else the one that has been starting longest. */
function takeSpare(): SandboxWorker | null {
  const spare = spares.find(isReady) ?? spares[0] ?? null;
  if (spare) spares = spares.filter((other) => other !== spare);
  return spare;
}

/**
 * The worker to evaluate in, started and ready, and its thread's times now (null where they
 * cannot be read). Waits for it to start with the event loop held (`startupWaitMs`: not the
 * expression's doing, so not charged to the command); sandboxStarting lets an async caller
 * wait beforehand without holding it.
 */
export function readyWorker(): { sandbox: SandboxWorker; times: ThreadTimes | null; startupWaitMs: number } {
  const memoryMb = engineLimits().expressionMemoryMb;
  let startupWaitMs = 0;
  for (;;) {
    if (current && (current.dead || current.memoryMb !== memoryMb)) discard(current);
    for (const spare of spares) if (spare.dead || spare.memoryMb !== memoryMb) discard(spare);
    if (!current) current = takeSpare() ?? spawn(memoryMb);
    if (!isReady(current)) {
      const started = performance.now();
      const outcome = Atomics.wait(current.flags, 1, 0, STARTUP_TIMEOUT_MS);
      startupWaitMs += performance.now() - started;
      if (outcome === 'timed-out') {
        discard(current);
        throw new Error('The FEEL sandbox worker did not start');
      }
    }
    if (current.cpu === undefined) current.cpu = threadCpuClock(Atomics.load(current.flags, 2));
    const times = current.cpu ? current.cpu.sample() : null;
    // A thread that ended while idle: its 'exit' event has not been seen yet (the loop did not turn).
    if (current.cpu && times === null) {
      discard(current);
      continue;
    }
    topUpSpares(memoryMb);
    return { sandbox: current, times, startupWaitMs };
  }
}

/** How often sandboxStarting looks whether the worker has started. */
const STARTING_POLL_MS = 5;

/**
 * When the next evaluation would have to wait for a worker still starting (after a stop, on a
 * loaded machine), a promise that resolves once it has started, else null. An async caller
 * (budget.ts's letOthersRun, between a command's steps and a series' evaluations) awaits it, so
 * that the wait lets other requests run instead of holding the event loop. Starts no worker.
 * It polls with a timer rather than Atomics.waitAsync, whose promise keeps no process alive: a
 * script awaiting it exited with code 13 (unsettled top-level await).
 */
export function sandboxStarting(): Promise<void> | null {
  const next = current ?? (spares.some(isReady) ? null : spares[0]);
  if (!next || next.dead || isReady(next)) return null;
  const giveUpAt = performance.now() + STARTUP_TIMEOUT_MS;
  return new Promise((resolve) => {
    const look = () => {
      if (next.dead || isReady(next) || performance.now() > giveUpAt) resolve();
      else setTimeout(look, STARTING_POLL_MS);
    };
    setTimeout(look, STARTING_POLL_MS);
  });
}

/**
 * The worker was stopped mid-evaluation (a budget ran out, or it died): it is terminated, and
 * the spares it calls for start now.
 */
export function stopWorker(sandbox: SandboxWorker): void {
  discard(sandbox);
  lastStopAt = performance.now();
  topUpSpares(sandbox.memoryMb);
}

/** For tests and diagnostics: the worker in use's thread id (0 before the first evaluation or where unknown), the spares, and whether the next evaluation would wait. */
export function sandboxState(): { threadId: number; spares: number; sparesStarted: number; nextStarted: boolean } {
  const next = current ?? spares.find(isReady) ?? spares[0];
  return {
    threadId: current ? Atomics.load(current.flags, 2) : 0,
    /** Whether the next evaluation finds its worker started (it would not wait). */
    nextStarted: next !== undefined && isReady(next),
    spares: spares.length,
    sparesStarted: spares.filter(isReady).length,
  };
}
