/**
 * Quartz cron (as used by Camunda: `sec min hour day-of-month month day-of-week [year]`) on top
 * of cron-parser. cron-parser already takes the seconds field, `?`, `L` and `#`, but its
 * day-of-week numbers are 0-7 with 1 = Monday while Quartz uses 1-7 with 1 = Sunday, and it has
 * no year field; both are translated/handled here.
 */
import { CronExpressionParser } from 'cron-parser';
import { TimerError } from './errors.ts';
import { yearIn, zonedToUtc } from './iso.ts';

interface YearRange { from: number; to: number; step: number }

export interface QuartzCron {
  /** Six-field expression in cron-parser's dialect. */
  expression: string;
  /** Allowed years; null = every year. */
  years: YearRange[] | null;
}

/** Quartz accepts years up to 2199; open ranges (`2030/2`) run to there. */
const MAX_YEAR = 2199;

export function looksLikeCron(text: string): boolean {
  const fields = text.trim().split(/\s+/);
  return fields.length >= 5 && fields.length <= 7;
}

function quartzDayOfWeek(field: string, text: string): string {
  const shift = (v: string): string => {
    if (!/^\d+$/.test(v)) return v.toUpperCase(); // SUN…SAT mean the same in both dialects
    const n = Number(v);
    if (n < 1 || n > 7) throw new TimerError(`Day-of-week ${v} is out of range 1-7 (1 = SUN)`, text);
    return String(n - 1);
  };
  return field
    .split(',')
    .map((part) => {
      if (part === '?' || part === '*') return '*';
      if (/^L$/i.test(part)) return '6'; // Quartz: a lone L in day-of-week is Saturday
      let m = /^(\w+)L$/i.exec(part);
      if (m) return `${shift(m[1])}L`;
      m = /^(\w+)#(\d+)$/.exec(part);
      if (m) return `${shift(m[1])}#${m[2]}`;
      m = /^(\*|\w+)(?:-(\w+))?(?:\/(\d+))?$/.exec(part);
      if (!m) throw new TimerError(`Cannot read day-of-week '${part}'`, text);
      return (m[1] === '*' ? '*' : shift(m[1])) + (m[2] ? `-${shift(m[2])}` : '') + (m[3] ? `/${m[3]}` : '');
    })
    .join(',');
}

function parseYears(field: string, text: string): YearRange[] | null {
  if (field === '*' || field === '?') return null;
  return field.split(',').map((part) => {
    const m = /^(\*|\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new TimerError(`Cannot read year '${part}'`, text);
    const from = m[1] === '*' ? 1970 : Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[1] === '*' || m[3] ? MAX_YEAR : from;
    const step = m[3] ? Number(m[3]) : 1;
    if (from < 1970 || to > MAX_YEAR || to < from || step < 1) throw new TimerError(`Year '${part}' is out of range 1970-${MAX_YEAR}`, text);
    return { from, to, step };
  });
}

/** Smallest allowed year >= `year`, or null when none is left. */
function nextYear(ranges: YearRange[], year: number): number | null {
  let best: number | null = null;
  for (const r of ranges) {
    const y = year <= r.from ? r.from : r.from + Math.ceil((year - r.from) / r.step) * r.step;
    if (y <= r.to && (best === null || y < best)) best = y;
  }
  return best;
}

/** Validates and translates a Quartz cron text; throws TimerError. */
export function parseQuartz(text: string): QuartzCron {
  const fields = text.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) {
    throw new TimerError(
      `A cron cycle needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got ${fields.length}`,
      text,
    );
  }
  const [sec, min, hour, dom, month, dow, year = '*'] = fields;
  // `H` is a cron-parser extension (random value) that Quartz does not have.
  if (fields.some((f) => /(^|[^A-Z])H([^A-Z]|$)/i.test(f))) throw new TimerError("'H' is not a Quartz cron character", text);
  if (/W/i.test(dom)) throw new TimerError("The 'W' (nearest weekday) day-of-month flag is not supported", text);
  const open = (f: string) => f === '?' || f === '*';
  if (!open(dom) && !open(dow)) {
    throw new TimerError("Restrict either day-of-month or day-of-week and put '?' in the other", text);
  }
  const expression = [sec, min, hour, dom === '?' ? '*' : dom, month, quartzDayOfWeek(dow, text)].join(' ');
  try {
    CronExpressionParser.parse(expression, { currentDate: new Date(0), tz: 'UTC' });
  } catch (err) {
    throw new TimerError(`Invalid cron expression: ${(err as Error).message}`, text);
  }
  return { expression, years: parseYears(year, text) };
}

/**
 * The shortest time between two firings, in ms. The fire times of one day are every
 * hour × minute × second of its fields; taken as a cycle of 24 hours, their smallest gap is
 * the smallest gap there can be (days left out only lengthen the gaps across midnight).
 */
export function shortestCronGapMs(cron: QuartzCron): number {
  const { fields } = CronExpressionParser.parse(cron.expression, { currentDate: new Date(0), tz: 'UTC' });
  const sorted = (values: readonly unknown[]) => [...new Set(values.map(Number))].sort((a, b) => a - b);
  const seconds = sorted(fields.second.values);
  const minutes = sorted(fields.minute.values);
  const hours = sorted(fields.hour.values);
  let first = -1;
  let previous = -1;
  let shortest = Infinity;
  for (const hour of hours) {
    for (const minute of minutes) {
      for (const second of seconds) {
        const at = hour * 3600 + minute * 60 + second;
        if (previous >= 0) shortest = Math.min(shortest, at - previous);
        else first = at;
        previous = at;
      }
    }
  }
  shortest = Math.min(shortest, first + 86_400 - previous);
  return shortest * 1000;
}

/** First fire time strictly after `after`, or null when the expression has none left. */
export function nextCron(cron: QuartzCron, after: Date, timeZone: string): Date | null {
  let from = after;
  // Each round either finds a time in an allowed year or jumps to the next allowed year.
  for (let round = 0; round < 300; round++) {
    let next: Date;
    try {
      next = CronExpressionParser.parse(cron.expression, { currentDate: from, tz: timeZone }).next().toDate();
    } catch {
      return null; // e.g. `0 0 0 30 2 ?`: no such day ever
    }
    if (!cron.years) return next;
    const year = yearIn(next, timeZone);
    const allowed = nextYear(cron.years, year);
    if (allowed === null) return null;
    if (allowed === year) return next;
    from = new Date(zonedToUtc(Date.UTC(allowed, 0, 1), timeZone) - 1);
  }
  return null;
}
