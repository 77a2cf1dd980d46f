/** When the executor counts as stalled, and when that makes /api/health degraded. */
import { describe, expect, it } from 'vitest';
import type { ExecutorStatus } from '../../engine/jobs/executor.ts';
import { executorHealth, jobsDegraded, STALL_AFTER_MS } from '../../engine/jobs/health.ts';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const status = (lastLeaseAt: Date | null, state: ExecutorStatus['state'] = 'running'): ExecutorStatus => ({
  state,
  running: 0,
  queued: 0,
  maxConcurrency: 4,
  lastLeaseAt,
  wakeAt: null,
});
const late = { due: 3, oldestDueLatenessMs: STALL_AFTER_MS + 1 };
const fresh = { due: 3, oldestDueLatenessMs: 1_000 };

describe('executor health', () => {
  it('is stalled when due jobs wait past the threshold and the executor has not leased that long', () => {
    const health = executorHealth(status(ago(STALL_AFTER_MS + 1)), late, now);
    expect(health).toMatchObject({ state: 'stalled', lastLeaseAt: ago(STALL_AFTER_MS + 1).toISOString() });
    expect(jobsDegraded(health, late)).toBe(true);
    // Never leased at all while jobs wait: the same.
    expect(executorHealth(status(null), late, now).state).toBe('stalled');
  });

  it('is running while it keeps leasing (a busy executor behind on a backlog is not stalled)', () => {
    const busy = executorHealth(status(ago(5_000)), late, now);
    expect(busy.state).toBe('running');
    expect(jobsDegraded(busy, late)).toBe(false);
  });

  it('is running with an old lease when nothing is late', () => {
    const idle = executorHealth(status(ago(10 * STALL_AFTER_MS)), fresh, now);
    expect(idle.state).toBe('running');
    expect(jobsDegraded(idle, fresh)).toBe(false);
    expect(jobsDegraded(executorHealth(status(null), { due: 0, oldestDueLatenessMs: 0 }, now), { due: 0, oldestDueLatenessMs: 0 })).toBe(false);
  });

  it('is stopped without an executor; degraded only once jobs are late', () => {
    const none = executorHealth(undefined, late, now);
    expect(none).toEqual({ state: 'stopped', running: 0, queued: 0, maxConcurrency: 0, lastLeaseAt: null, wakeAt: null });
    expect(jobsDegraded(none, late)).toBe(true);
    expect(jobsDegraded(none, fresh)).toBe(false);
    expect(executorHealth(status(ago(1), 'stopped'), fresh, now).state).toBe('stopped');
  });

  it('without a backlog (database unreachable) never claims a stall', () => {
    const health = executorHealth(status(null), null, now);
    expect(health.state).toBe('running');
    expect(jobsDegraded(health, null)).toBe(false);
  });
});
