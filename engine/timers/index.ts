/**
 * Timers: turns a BPMN timer definition (after any expression in it has been evaluated to a
 * string) into the next due time, and a cycle into its following due times.
 *
 *  - duration: ISO 8601 duration from `now` (`PT5M`, `P1DT2H`, `PT0.5S`)
 *  - date:     ISO 8601 date-time (`2026-12-01T10:00:00Z`, `…+08:00`)
 *  - cycle:    `R3/PT1H`, `R/PT1H` (unbounded), `R2/2026-12-01T10:00:00Z/PT1H` (anchored),
 *              `R/PT1H/2026-12-31T00:00:00Z` (until), or Quartz cron `0 0/5 * * * ?`
 *
 * Zone-less dates and cron fields are read in `options.timeZone`, default UTC, so a schedule
 * does not depend on the server's local zone unless the caller asks for that.
 */
import type { TimerKind } from '../bpmn/model.ts';
import { engineLimits, limitEnvName } from '../limits.ts';
import { nextCron, parseQuartz, shortestCronGapMs, type QuartzCron } from './cron.ts';
import { TimerError } from './errors.ts';
import { addDuration, approxMs, checkTimeZone, isDurationText, parseDateTime, parseDuration, type IsoDuration } from './iso.ts';

export { TimerError } from './errors.ts';

export interface TimerSchedule {
  dueAt: Date;
  kind: TimerKind;
  value: string;
  /** repetitions still to fire after this one; null = unbounded */
  remaining: number | null;
}

export interface TimerOptions {
  /** IANA zone for zone-less dates and cron fields; default 'UTC'. */
  timeZone?: string;
}

type ParsedTimer =
  | { form: 'duration'; duration: IsoDuration }
  | { form: 'date'; date: Date }
  | { form: 'repeat'; count: number | null; period: IsoDuration; start?: Date; end?: Date }
  | { form: 'cron'; cron: QuartzCron };

function parseRepeat(text: string, timeZone: string): ParsedTimer {
  const [head, ...rest] = text.split('/');
  const m = /^R(\d*)$/i.exec(head);
  if (!m || rest.length < 1 || rest.length > 2) {
    throw new TimerError('Expected a repeating interval like R3/PT1H or R2/2026-12-01T10:00:00Z/PT1H', text);
  }
  const count = m[1] === '' ? null : Number(m[1]);
  if (count !== null && count < 1) throw new TimerError('The repetition count must be at least 1', text);
  let period: IsoDuration;
  let start: Date | undefined;
  let end: Date | undefined;
  if (rest.length === 1) {
    period = parseDuration(rest[0]);
  } else if (isDurationText(rest[0])) {
    period = parseDuration(rest[0]);
    end = parseDateTime(rest[1], timeZone);
  } else {
    start = parseDateTime(rest[0], timeZone);
    period = parseDuration(rest[1]);
  }
  // A zero period would make the cycle fire endlessly at one instant.
  if (approxMs(period) <= 0) throw new TimerError('The repetition period must be longer than zero', text);
  return { form: 'repeat', count, period, start, end };
}

function parseTimer(kind: TimerKind, value: string, timeZone: string): ParsedTimer {
  checkTimeZone(timeZone);
  const text = value.trim();
  if (!text) throw new TimerError(`Empty timer ${kind}`, value);
  switch (kind) {
    case 'duration':
      return { form: 'duration', duration: parseDuration(text) };
    case 'date':
      return { form: 'date', date: parseDateTime(text, timeZone) };
    case 'cycle':
      if (/^R/i.test(text)) return parseRepeat(text, timeZone);
      if (isDurationText(text)) throw new TimerError('A cycle needs a repetition, e.g. R/PT1H rather than PT1H', text);
      return { form: 'cron', cron: parseQuartz(text) };
    default:
      throw new TimerError(`Unknown timer kind '${String(kind)}'`, value);
  }
}

/** The first slot index k with start + k×period at (or, when `strict`, after) `t`. */
function slotIndex(start: Date, period: IsoDuration, t: Date, strict: boolean): number {
  const before = (k: number) => {
    const at = addDuration(start, period, k).getTime();
    return strict ? at <= t.getTime() : at < t.getTime();
  };
  // Jump close by estimate, then correct in both directions (months vary in length).
  let k = Math.max(0, Math.floor((t.getTime() - start.getTime()) / approxMs(period)));
  while (k > 0 && !before(k - 1)) k--;
  while (before(k)) k++;
  return k;
}

/**
 * A cycle may not fire more often than the configured minimum (`R/PT0.001S` made 920
 * instances in 10 s). Checked where a cycle is first scheduled, at deploy and when a computed
 * timer is resolved — not on each later firing, so raising the limit strands no running timer.
 */
function assertCycleInterval(parsed: ParsedTimer, value: string): void {
  const shortest =
    parsed.form === 'repeat' ? approxMs(parsed.period) : parsed.form === 'cron' ? shortestCronGapMs(parsed.cron) : Infinity;
  const minimum = engineLimits().minTimerCycleMs;
  if (shortest < minimum) {
    throw new TimerError(
      `The cycle fires every ${formatMs(shortest)}; the shortest allowed interval is ${formatMs(minimum)} (${limitEnvName('minTimerCycleMs')})`,
      value,
    );
  }
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A human message when the timer text cannot be scheduled, else null (used at deploy). */
export function checkTimer(kind: TimerKind, value: string, options: TimerOptions = {}): string | null {
  try {
    assertCycleInterval(parseTimer(kind, value, options.timeZone ?? 'UTC'), value);
    return null;
  } catch (err) {
    if (err instanceof TimerError) return err.message;
    throw err;
  }
}

/** The first due time of a timer defined at `now`; throws TimerError. */
export function resolveTimer(kind: TimerKind, value: string, now: Date, options: TimerOptions = {}): TimerSchedule {
  const timeZone = options.timeZone ?? 'UTC';
  const parsed = parseTimer(kind, value, timeZone);
  assertCycleInterval(parsed, value);
  const schedule = (dueAt: Date, remaining: number | null): TimerSchedule => ({ dueAt, kind, value, remaining });
  const none = () => new TimerError(`The cycle has no occurrence after ${now.toISOString()}`, value);
  switch (parsed.form) {
    case 'duration':
      return schedule(addDuration(now, parsed.duration), 0);
    case 'date':
      // A date in the past is still returned: the timer is simply due at once.
      return schedule(parsed.date, 0);
    case 'cron': {
      const next = nextCron(parsed.cron, now, timeZone);
      if (!next) throw none();
      return schedule(next, null);
    }
    case 'repeat': {
      const { count, period, start, end } = parsed;
      if (start) {
        const k = slotIndex(start, period, now, false);
        if (count !== null && k >= count) throw none();
        return schedule(addDuration(start, period, k), count === null ? null : count - 1 - k);
      }
      const dueAt = addDuration(now, period);
      if (end && dueAt > end) throw none();
      return schedule(dueAt, count === null ? null : count - 1);
    }
  }
}

/**
 * The schedule after a cycle fired at `firedAt`, or null when it is done. Anchored cycles stay
 * on their grid (missed slots are skipped, not replayed); unanchored ones restart from the
 * firing time, as Camunda does.
 */
export function nextCycle(schedule: TimerSchedule, firedAt: Date, options: TimerOptions = {}): TimerSchedule | null {
  if (schedule.kind !== 'cycle' || schedule.remaining === 0) return null;
  const timeZone = options.timeZone ?? 'UTC';
  const parsed = parseTimer('cycle', schedule.value, timeZone);
  // Never before the slot that just fired, so an early call cannot fire the same slot twice.
  const base = firedAt > schedule.dueAt ? firedAt : schedule.dueAt;
  const next = (dueAt: Date, remaining: number | null): TimerSchedule => ({ ...schedule, dueAt, remaining });
  if (parsed.form === 'cron') {
    const at = nextCron(parsed.cron, base, timeZone);
    return at && next(at, null);
  }
  if (parsed.form !== 'repeat') return null;
  const { count, period, start, end } = parsed;
  if (start) {
    const k = slotIndex(start, period, base, true);
    if (count !== null && k >= count) return null;
    return next(addDuration(start, period, k), count === null ? null : count - 1 - k);
  }
  const dueAt = addDuration(base, period);
  if (end && dueAt > end) return null;
  return next(dueAt, schedule.remaining === null ? null : schedule.remaining - 1);
}
