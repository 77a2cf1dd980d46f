/**
 * The one way tests wait for something that happens asynchronously (a socket event, a job
 * run by an executor, a node becoming healthy). The timeout is a generous bound so a loaded
 * machine does not fail the test, never a speed check: speed belongs in bench/.
 */

export interface EventuallyOptions {
  /** What is awaited, for the failure message ("alice's task.assigned"). */
  message: string;
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
  /** Pause between two checks (default 20 ms). */
  intervalMs?: number;
}

/** What `check` returns when it is not there yet. */
type NotYet = undefined | null | false;

/** Thrown by a check when waiting longer cannot help (the process it waits for has died). */
export class GiveUp extends Error {}

/**
 * Runs `check` until it returns something other than `undefined`, `null` or `false` without
 * throwing, and returns that. A check may return the thing it looked for (`received.find(...)`)
 * or assert with `expect(...)` and return `true`: on timeout, the last assertion error is
 * rethrown (with its diff), else the last value is reported, both after `message`.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions): Promise<Exclude<Awaited<T>, NotYet>> {
  const { message, timeoutMs = 5_000, intervalMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { error: unknown } | { value: unknown } = { value: undefined };
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<Awaited<T>, NotYet>;
      last = { value };
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      last = { error };
    }
    if (Date.now() >= deadline) throw timedOut(message, timeoutMs, last);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function timedOut(message: string, timeoutMs: number, last: { error: unknown } | { value: unknown }): Error {
  const prefix = `timed out after ${timeoutMs} ms waiting for ${message}`;
  if ('error' in last) {
    // Keep the assertion error itself: vitest then still shows its expected/actual diff.
    if (last.error instanceof Error) {
      last.error.message = `${prefix}; last check failed: ${last.error.message}`;
      return last.error;
    }
    return new Error(`${prefix}; last check threw ${String(last.error)}`);
  }
  return new Error(`${prefix}; last check returned ${shown(last.value)}`);
}

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
