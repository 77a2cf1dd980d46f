/**
 * ISO 8601 durations and date-times, parsed by hand: Date.parse accepts too much (and reads
 * zone-less text as local time), and no library is needed for this small grammar.
 */
import { TimerError } from './errors.ts';

export interface IsoDuration {
  years: number;
  months: number;
  /** Weeks are folded into days. */
  days: number;
  /** Hours, minutes and (fractional) seconds, folded into milliseconds. */
  ms: number;
}

const NUM = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION_RE = new RegExp(
  String.raw`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`,
  'i',
);

/** The longest duration a timer may wait; keeps every due date a real, storable date. */
export const MAX_DURATION_YEARS = 1000;
const MAX_DURATION_MS = MAX_DURATION_YEARS * 365.25 * 86_400_000;

export function isDurationText(text: string): boolean {
  return /^P/i.test(text);
}

/** `PT5M`, `P1DT2H`, `PT0.5S`, `P2W`; throws TimerError. */
export function parseDuration(text: string): IsoDuration {
  const m = DURATION_RE.exec(text);
  // `P` alone and a dangling `T` match the regex with nothing captured; both are invalid.
  if (!m || !m.slice(1).some((g) => g !== undefined) || /T$/i.test(text)) {
    throw new TimerError('Not an ISO 8601 duration (expected e.g. PT5M, P1DT2H, PT0.5S)', text);
  }
  const n = (g: string | undefined) => (g === undefined ? 0 : Number(g.replace(',', '.')));
  const duration = {
    years: n(m[1]),
    months: n(m[2]),
    days: n(m[3]) * 7 + n(m[4]),
    ms: Math.round(n(m[5]) * 3_600_000 + n(m[6]) * 60_000 + n(m[7]) * 1000),
  };
  // `P99999999999Y` parses, but no date lies that far ahead: refuse it here, not at the database.
  if (approxMs(duration) > MAX_DURATION_MS) {
    throw new TimerError(`The duration is longer than ${MAX_DURATION_YEARS} years`, text);
  }
  return duration;
}


/** Rough length in ms, only for estimating how many periods fit into a span. */
export function approxMs(d: IsoDuration): number {
  return (d.years * 365.25 + d.months * 30.44 + d.days) * 86_400_000 + d.ms;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * `date + times × duration`, calendar style in UTC: months clamp to the month's last day
 * (Jan 31 + P1M = Feb 28) like java.util.Calendar. Multiplying instead of adding repeatedly
 * keeps a monthly series on the 31st from drifting to the 28th.
 */
export function addDuration(date: Date, d: IsoDuration, times = 1): Date {
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + (d.years * 12 + d.months) * times;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const shifted = new Date(date.getTime());
  shifted.setUTCFullYear(year, month, Math.min(date.getUTCDate(), daysInMonth(year, month)));
  return new Date(shifted.getTime() + (d.days * 86_400_000 + d.ms) * times);
}

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * `2026-12-01T10:00:00Z`, `…+08:00`, `2026-12-01T10:00` or `2026-12-01`. Text without an
 * offset is wall-clock time in `timeZone`; throws TimerError.
 */
export function parseDateTime(text: string, timeZone: string): Date {
  const m = DATE_RE.exec(text);
  const bad = () => new TimerError('Not an ISO 8601 date-time (expected e.g. 2026-12-01T10:00:00Z)', text);
  if (!m) throw bad();
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((g) => (g === undefined ? undefined : Number(g)));
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth(y!, mo! - 1) || h! > 23 || mi! > 59 || s! > 59) throw bad();
  const wall = Date.UTC(y!, mo! - 1, d!, h, mi, s, ms);
  const offset = m[8];
  if (!offset) return new Date(zonedToUtc(wall, timeZone));
  if (/^z$/i.test(offset)) return new Date(wall);
  const [oh, om = '0'] = offset.slice(1).replace(':', '').match(/\d{2}/g)!;
  const minutes = Number(oh) * 60 + Number(om);
  if (Number(oh) > 18 || Number(om) > 59) throw bad();
  return new Date(wall - (offset[0] === '-' ? -1 : 1) * minutes * 60_000);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws TimerError for a time zone name Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  if (timeZone === 'UTC' || formatters.has(timeZone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new TimerError(`Unknown time zone '${timeZone}'`, timeZone);
  }
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms (+08:00 → 28 800 000). */
function zoneOffset(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, fmt);
  }
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(utcMs))) p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows `wallMs` (given as if UTC). */
export function zonedToUtc(wallMs: number, timeZone: string): number {
  const guess = wallMs - zoneOffset(wallMs, timeZone);
  // Re-read the offset at the guess so a DST change between the two is accounted for.
  return wallMs - zoneOffset(guess, timeZone);
}

/** The calendar year the wall clock in `timeZone` shows at `date`. */
export function yearIn(date: Date, timeZone: string): number {
  return new Date(date.getTime() + zoneOffset(date.getTime(), timeZone)).getUTCFullYear();
}
