/**
 * The schedule preview of the automation editor: the next run times of a cron (5 fields, in
 * its time zone) or an interval, computed in the browser with cron-parser — the library the
 * engine uses (engine/automations/schedule.ts) — so the admin sees when it will run while
 * typing. The server stays the judge: it checks the schedule again on save.
 */
import { CronExpressionParser } from 'cron-parser';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export type ScheduleDraft = { cron: string; timeZone?: string } | { intervalSeconds: number };

export type SchedulePreview = { runs: Date[]; problem: null } | { runs: []; problem: string };

export function previewSchedule(schedule: ScheduleDraft | null | undefined, now: Date, count = 3): SchedulePreview {
  if (!schedule) return { runs: [], problem: 'empty' };
  if ('intervalSeconds' in schedule) {
    const step = schedule.intervalSeconds * 1000;
    if (!Number.isFinite(step) || step <= 0) return { runs: [], problem: 'empty' };
    return { runs: Array.from({ length: count }, (_, i) => new Date(now.getTime() + (i + 1) * step)), problem: null };
  }
  const fields = schedule.cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return { runs: [], problem: `fields:${fields.length}` };
  try {
    const interval = CronExpressionParser.parse(schedule.cron, { currentDate: now, tz: schedule.timeZone || DEFAULT_TIME_ZONE });
    return { runs: interval.take(count).map((date) => date.toDate()), problem: null };
  } catch (error) {
    return { runs: [], problem: (error as Error).message };
  }
}

/** The API's schedule (all fields optional in its schema) as the editor's draft. */
export function scheduleDraftOf(value: { cron?: string; timeZone?: string; intervalSeconds?: number } | null | undefined): ScheduleDraft | null {
  if (!value) return null;
  if (typeof value.cron === 'string') return { cron: value.cron, timeZone: value.timeZone ?? DEFAULT_TIME_ZONE };
  if (typeof value.intervalSeconds === 'number') return { intervalSeconds: value.intervalSeconds };
  return null;
}

const INTL_LOCALE = { 'zh-CN': 'zh-CN', en: 'en-GB' } as const;

/**
 * A run time of a schedule as its admin means it: a cron's wall-clock time in the cron's
 * zone (`0 9 * * 1` shows 09:00 wherever the browser is), the zone named when it is not the
 * browser's; an interval's time in the browser's zone. Same shape as useFormat().dateTime.
 */
export function formatRunTime(value: string | Date | null | undefined, locale: 'zh-CN' | 'en', schedule: ScheduleDraft | null | undefined, nameZone = true): string {
  if (!value) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  const zone = schedule && 'cron' in schedule ? schedule.timeZone || DEFAULT_TIME_ZONE : undefined;
  const text = date.toLocaleString(INTL_LOCALE[locale], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: zone });
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return nameZone && zone && zone !== browserZone ? `${text} (${zone})` : text;
}

/** The zone a schedule's times are shown in, when it is not the browser's (to name it once under a list of times). */
export function foreignZone(schedule: ScheduleDraft | null | undefined): string | null {
  const zone = schedule && 'cron' in schedule ? schedule.timeZone || DEFAULT_TIME_ZONE : null;
  return zone && zone !== Intl.DateTimeFormat().resolvedOptions().timeZone ? zone : null;
}
