/**
 * Calendar arithmetic on YYYY-MM-DD strings, in UTC so the result does not depend on the
 * machine's time zone (the demo must be the same everywhere for the same reference date).
 */
const DAY_MS = 86_400_000;

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `date` plus `days` (negative: earlier). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `date` plus `months`, the day clamped to the month's last. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(day, last));
  return first.toISOString().slice(0, 10);
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** A local Beijing time on `date` as an ISO date-time (the forms' date-time fields). */
export function beijingTime(date: string, hour: number, minute = 0): string {
  return `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;
}

/** Today's date in Beijing (the key-account app's zone, as tiering reads it). */
export function todayInBeijing(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
