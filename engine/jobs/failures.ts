/**
 * The failure policy shared by timers and outside effects: a failed attempt is counted, the
 * job waits an exponentially growing back-off and runs again; after the last retry it
 * becomes an incident on its instance (status `incident`, an `instance.updated` event),
 * where it stays until an admin retries it. The attempt itself is recorded by the
 * `recordJobFailure` command (engine/commands/recordJobFailure.ts).
 */
import { LiuzhuanError } from '../errors.ts';

export interface RetryPolicy {
  /** Back-off after the first failure; doubles with each further one. */
  baseMs: number;
  /** Upper bound of one back-off. */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 3_600_000 };

/** Back-off after the `attempts`-th failed attempt (1-based): base · 2^(attempts-1), capped. */
export function backoffMs(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

export function describeError(error: unknown): string {
  if (error instanceof LiuzhuanError) return error.message;
  if (error instanceof Error) {
    // fetch() hides the reason (ECONNREFUSED, timeout) in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && cause.message !== error.message ? ` (${cause.message})` : '';
    return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}${detail}`.slice(0, 2000);
  }
  return String(error).slice(0, 2000);
}
