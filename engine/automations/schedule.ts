/**
 * The schedule of a scheduled automation (定时触发): a 5-field cron in a time zone (default
 * Asia/Shanghai), read by cron-parser, or a fixed interval no shorter than the engine's
 * minimum timer cycle (engine/limits.ts). `nextTickAfter` is the one place that says when a
 * schedule fires next; the tick job (tick.ts) uses it to chain ticks.
 */
import { CronExpressionParser } from 'cron-parser';
import { engineLimits, limitEnvName } from '../limits.ts';
import type { ErrorDetail } from '../errors.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export type AutomationSchedule =
  | { cron: string; timeZone: string }
  | { intervalSeconds: number };

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Cron-parser also reads 6-field (seconds) and `H` expressions; a schedule is plain 5-field cron. */
function cronProblem(cron: string, timeZone: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  // `H` (a random value) is a cron-parser extension, not cron.
  if (fields.some((f) => /(^|[^A-Z])H([^A-Z]|$)/i.test(f))) return "'H' is not a cron character";
  try {
    CronExpressionParser.parse(cron, { currentDate: new Date(0), tz: timeZone });
    return null;
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
}

/** Checks `value` (the body's `schedule`); problems go to `details` with their JSON pointers. */
export function parseSchedule(value: unknown, pointer: string, details: ErrorDetail[]): AutomationSchedule | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    details.push({ pointer, message: 'must be an object with a cron expression or an interval (intervalSeconds)' });
    return null;
  }
  const input = value as Record<string, unknown>;
  const hasCron = input.cron !== undefined && input.cron !== null && input.cron !== '';
  const hasInterval = input.intervalSeconds !== undefined && input.intervalSeconds !== null;
  if (hasCron === hasInterval) {
    details.push({ pointer, message: 'needs exactly one of cron and intervalSeconds' });
    return null;
  }
  if (hasCron) {
    const timeZone = input.timeZone === undefined || input.timeZone === null || input.timeZone === '' ? DEFAULT_TIME_ZONE : input.timeZone;
    if (typeof timeZone !== 'string' || !validTimeZone(timeZone)) {
      details.push({ pointer: `${pointer}/timeZone`, message: 'must be an IANA time zone such as Asia/Shanghai' });
      return null;
    }
    if (typeof input.cron !== 'string') {
      details.push({ pointer: `${pointer}/cron`, message: 'must be a string' });
      return null;
    }
    const problem = cronProblem(input.cron, timeZone);
    if (problem) {
      details.push({ pointer: `${pointer}/cron`, message: problem });
      return null;
    }
    return { cron: input.cron.trim(), timeZone };
  }
  const seconds = input.intervalSeconds;
  const minimum = Math.ceil(engineLimits().minTimerCycleMs / 1000);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < minimum) {
    details.push({
      pointer: `${pointer}/intervalSeconds`,
      message: `must be a whole number of seconds, at least ${minimum} (the minimum timer cycle, ${limitEnvName('minTimerCycleMs')})`,
    });
    return null;
  }
  if (seconds > 366 * 24 * 3600) {
    details.push({ pointer: `${pointer}/intervalSeconds`, message: 'must be at most a year (31622400 seconds)' });
    return null;
  }
  return { intervalSeconds: seconds };
}

/**
 * The first tick strictly after `after`. An interval counts from `anchor` (the previous tick,
 * or the moment the schedule was saved); ticks missed while nothing ran (every node down) are
 * skipped rather than replayed, so a restart never fires a burst of old ticks.
 */
export function nextTickAfter(schedule: AutomationSchedule, after: Date, anchor: Date = after): Date {
  if ('intervalSeconds' in schedule) {
    const step = schedule.intervalSeconds * 1000;
    const missed = Math.max(0, Math.floor((after.getTime() - anchor.getTime()) / step));
    let next = anchor.getTime() + (missed + 1) * step;
    if (next <= after.getTime()) next += step;
    return new Date(next);
  }
  const interval = CronExpressionParser.parse(schedule.cron, { currentDate: after, tz: schedule.timeZone });
  return interval.next().toDate();
}
