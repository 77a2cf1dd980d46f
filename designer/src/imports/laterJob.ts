/**
 * Which of two states of one import is the later. The dialog hears about a job from three
 * places that race: the start request's answer (the job as it was when it started), the
 * `import.progress` socket events and the slow poll. A small import finishes before the
 * start answer arrives, so that answer must not take a finished job back to "0 rows, running".
 */

/** The statuses an import ends in. */
export const FINISHED = ['done', 'failed', 'cancelled', 'interrupted'];

const ENDED = 3;
const STAGE: Record<string, number> = { uploaded: 0, running: 1, cancelling: 2, ...Object.fromEntries(FINISHED.map((status) => [status, ENDED])) };

/** What the choice reads of a job (an `ImportJob`); kept this narrow so it needs no API types. */
interface JobState {
  id: string;
  status: string;
  rowsDone: number;
}

export function laterJob<J extends JobState>(current: J | null, next: J): J {
  if (!current || current.id !== next.id) return next;
  const stageNow = STAGE[current.status] ?? 0;
  const stageNext = STAGE[next.status] ?? 0;
  if (stageNext < stageNow) return current;
  // Two finished states of one job are the same state; the first one heard stays.
  if (stageNow === ENDED) return current;
  if (stageNext === stageNow && stageNow > 0 && next.rowsDone < current.rowsDone) return current;
  return next;
}
