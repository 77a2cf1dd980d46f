/**
 * How long the event loop has been held: a heartbeat timer notes when the loop last ran its
 * timers, so the time is measured across awaits (an await on I/O lets the loop run; a resolved
 * promise does not). Work that runs long in steps — a command's steps (expressions/budget.ts),
 * a large flush (db/writeBatch.ts) — asks it whether to let waiting requests run. Started on
 * first use; never keeps a process alive.
 */
import { performance } from 'node:perf_hooks';

/** Work that has held the event loop this long lets waiting requests run before it goes on. */
export const YIELD_AFTER_MS = 20;

let loopTurnedAt = performance.now();
let heartbeat: NodeJS.Timeout | undefined;

/** How long the event loop has been held, counting at most from `since`. */
export function loopHeldFor(since = -Infinity): number {
  if (!heartbeat) {
    loopTurnedAt = performance.now();
    heartbeat = setInterval(() => {
      loopTurnedAt = performance.now();
    }, 10);
    heartbeat.unref();
  }
  return performance.now() - Math.max(since, loopTurnedAt);
}

/** The loop has just run (e.g. after a setImmediate): the held time starts again from now. */
export function loopTurned(now = performance.now()): void {
  loopTurnedAt = now;
}

/**
 * Lets waiting requests run when the loop has been held for `afterMs`: setImmediate runs after
 * the loop's I/O phase, so the requests that arrived meanwhile are read first.
 */
export async function yieldLoopIfHeld(afterMs = YIELD_AFTER_MS): Promise<void> {
  if (loopHeldFor() < afterMs) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  loopTurned();
}
