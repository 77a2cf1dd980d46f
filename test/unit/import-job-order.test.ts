/**
 * The import dialog hears about one job from the start answer, socket events and a poll, in
 * any order (designer/src/imports/laterJob.ts): whichever arrives last, the dialog shows the
 * furthest state. Every order of a run's states is tried.
 */
import { describe, expect, it } from 'vitest';
import { laterJob } from '../../designer/src/imports/laterJob.ts';

interface ImportJob {
  id: string;
  status: string;
  rowsDone: number;
  totalRows: number;
  mapping?: string[];
}
const state = (status: string, rowsDone: number, id = 'job-1'): ImportJob => ({ id, status, rowsDone, totalRows: 3 });

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('which state of an import the dialog keeps', () => {
  it('ends at the finished state whatever order the running states and the end arrive in', () => {
    const heard = [state('running', 0), state('running', 1), state('running', 2), state('done', 3)];
    for (const order of permutations(heard)) {
      const shown = order.reduce<ImportJob | null>((current, next) => laterJob(current, next), state('uploaded', 0));
      expect(shown, order.map((s) => `${s.status}:${s.rowsDone}`).join(' → ')).toMatchObject({ status: 'done', rowsDone: 3 });
    }
  });

  it('keeps the first end heard, and a running job never goes back in rows', () => {
    expect(laterJob(state('cancelled', 1), state('done', 3))).toMatchObject({ status: 'cancelled' });
    expect(laterJob(state('running', 2), state('running', 1))).toMatchObject({ rowsDone: 2 });
    expect(laterJob(state('cancelling', 2), state('running', 2))).toMatchObject({ status: 'cancelling' });
  });

  it('takes a mapping change before the start, and a new job after "import again"', () => {
    const remapped: ImportJob = { ...state('uploaded', 0), mapping: ['customer'] };
    expect(laterJob(state('uploaded', 0), remapped)).toBe(remapped);
    expect(laterJob(state('done', 3), state('uploaded', 0, 'job-2'))).toMatchObject({ id: 'job-2', status: 'uploaded' });
  });
});
