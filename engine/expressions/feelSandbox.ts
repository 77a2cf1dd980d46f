/**
 * FEEL runs in a worker thread with a heap limit, and the caller waits for it synchronously.
 *
 * Why: feelin evaluates synchronously and offers no step or size hook, so nothing inside the
 * main thread can stop `for i in 1..100000 return for j in 1..100000 return i` — a timer never
 * fires while it runs, and it grows the heap until the process dies. A worker can be
 * terminated at any point, and its `resourceLimits` make it die alone when it runs out of heap.
 * The callers (gateway conditions, formulas, routing rules, …) stay synchronous: the request is
 * posted to the worker and the main thread blocks on `Atomics.wait`, then reads the reply with
 * `receiveMessageOnPort`. A stopped or dead worker is terminated and a spare takes over
 * (sandboxWorkers.ts). Cost: about 0.1 ms per evaluation on top of feelin's own.
 *
 * How long the caller waits: the main thread waits in slices of SLICE_MS and after each reads
 * the worker thread's times (threadCpu.ts). The evaluation is stopped when the worker has held
 * the caller for more than the blocking limit (LIUZHUAN_MAX_BLOCKING_MS) by its own doing, or
 * when the wall-clock budget runs out (the expression's or the command's, budget.ts, and at
 * most the blocking limit's backstop, LIUZHUAN_MAX_BLOCKING_WALL_MS). "By its own doing" is the
 * wall-clock time waited less the time the machine kept the worker waiting for a processor
 * (its run-queue delay): a worker descheduled by a loaded machine is not refused for load it
 * did not cause, and a spinning expression is stopped after about the limit on a quiet machine.
 * Its processor time alone would not do: an expression that allocates spends a third of its
 * time asleep while V8's helper threads collect its garbage (a nested `for` used 151 ms of
 * processor time in 230–340 ms, and held the server that long). A worker the machine does not
 * let run still ends at the wall-clock budget. Where the run-queue delay cannot be read, the
 * limit bounds processor time; where neither can (not Linux), wall-clock time, as it did before.
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { engineLimits } from '../limits.ts';
import { refund } from './budget.ts';
import { readyWorker, stopWorker } from './sandboxWorkers.ts';

/**
 * Why an evaluation was stopped: `cpu`, the worker used more processor time than the blocking
 * limit; `wall`, the wall-clock budget ran out; `blocking`, the blocking limit ran out as
 * wall-clock time (no processor time to read); `died`, the worker thread ended (out of heap).
 */
export type StopReason = 'cpu' | 'wall' | 'blocking' | 'died';

export type SandboxReply =
  | { ok: true; value: unknown }
  | { ok: false; syntax: boolean; message: string; from?: number; stored?: boolean }
  | { ok: false; tooLarge: number }
  /** `cpuMs`: the processor time the worker had used, where it could be read. */
  | { ok: false; stopped: StopReason; cpuMs: number | null };

export interface SandboxLimits {
  /** Wall-clock time the caller waits at most: the expression's or the command's budget, or the backstop. */
  wallMs: number;
  /** Processor time the worker may use: the blocking limit (wall-clock time where that cannot be read). */
  blockingMs: number;
}

/**
 * How often the waiting thread reads the worker's times. A read costs about 60 µs under load
 * (threadCpu.ts), so 5 ms costs the waiting thread about 1 %, and a spinning expression is
 * stopped at most about 5 ms after its limit (10–15 ms where only the 10 ms clock ticks of
 * /proc/…/stat can be read).
 */
export const SLICE_MS = 5;
/** The reply's message may trail the flag (below): the time it is given at least, past the budget. */
const TRAILING_REPLY_MS = 50;

/**
 * Whether to stop: `elapsedMs` of wall-clock time waited, `cpuUsedMs` of processor time the
 * worker used (null where it cannot be read, or the thread ended: see `died`), `queuedMs` of
 * it spent waiting for a processor (null where that cannot be read).
 *
 * The worker has held the caller by its own doing for `elapsedMs - queuedMs`. It is stopped
 * for that only once half of the limit was processor time too: on a loaded machine V8's
 * garbage-collecting helper threads wait for processors as well, and the worker sleeping
 * while they are queued is the load's doing, not its expression's.
 */
export function stopFor(waited: { elapsedMs: number; cpuUsedMs: number | null; queuedMs?: number | null; died?: boolean }, limits: SandboxLimits): StopReason | null {
  if (waited.died) return 'died';
  if (waited.cpuUsedMs === null) {
    if (waited.elapsedMs >= Math.min(limits.wallMs, limits.blockingMs)) return limits.blockingMs < limits.wallMs ? 'blocking' : 'wall';
    return null;
  }
  const queuedMs = waited.queuedMs ?? null;
  const heldMs = queuedMs === null ? waited.cpuUsedMs : waited.elapsedMs - queuedMs;
  if (heldMs > limits.blockingMs && waited.cpuUsedMs > limits.blockingMs / 2) return 'cpu';
  if (waited.elapsedMs >= limits.wallMs) return 'wall';
  return null;
}

/** Evaluates `source` in the sandbox within `limits`. */
export function evaluateInSandbox(source: string, variables: Record<string, unknown>, limits: SandboxLimits): SandboxReply {
  // The worker's clock does not move while it waits for a request: read before posting.
  const { sandbox, times: atStart, startupWaitMs } = readyWorker();
  refund(startupWaitMs);
  const clock = sandbox.cpu;
  const measured = clock && atStart !== null;
  Atomics.store(sandbox.flags, 0, 0);
  sandbox.port.postMessage({ source, variables, maxResultBytes: engineLimits().expressionMaxResultBytes });
  const started = performance.now();
  const wallMs = measured ? limits.wallMs : Math.min(limits.wallMs, limits.blockingMs);
  let cpuUsedMs: number | null = null;
  let queuedMs: number | null = null;
  for (;;) {
    const left = Math.max(0, wallMs - (performance.now() - started));
    if (Atomics.wait(sandbox.flags, 0, 0, measured ? Math.min(SLICE_MS, left) : left) !== 'timed-out') break;
    let died = false;
    if (measured) {
      const now = clock.sample();
      if (now === null) died = true;
      else {
        cpuUsedMs = now.cpuMs - atStart.cpuMs;
        queuedMs = now.waitingMs !== null && atStart.waitingMs !== null ? now.waitingMs - atStart.waitingMs : null;
      }
    }
    const stopped = stopFor({ elapsedMs: performance.now() - started, cpuUsedMs, queuedMs, died }, limits);
    if (stopped) {
      // Still computing, or dead from lack of heap: either way it is of no more use.
      stopWorker(sandbox);
      return { ok: false, stopped, cpuMs: cpuUsedMs };
    }
  }
  let reply = receiveMessageOnPort(sandbox.port);
  // The worker raises the flag right after posting its reply, but on a loaded machine the
  // message can trail the flag: wait for it, 1 ms at a time, within the budget (and a little
  // past it: the work is done). (Seen by the hostile-model suite as a 500 "answered without a
  // reply", about once in 30 concurrent starts.)
  const giveUpAt = Math.max(started + wallMs, performance.now() + TRAILING_REPLY_MS);
  while (!reply && performance.now() < giveUpAt) {
    Atomics.wait(sandbox.flags, 1, 1, 1);
    reply = receiveMessageOnPort(sandbox.port);
  }
  if (!reply) {
    stopWorker(sandbox);
    return { ok: false, stopped: 'wall', cpuMs: cpuUsedMs };
  }
  return reply.message as SandboxReply;
}
