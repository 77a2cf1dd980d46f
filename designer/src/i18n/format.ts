/**
 * Dates and numbers in the chosen language, one place for every page: zh-CN shows
 * `2026/12/01 09:30` and `1,234.50`, English `01/12/2026, 09:30` and `1,234.50`; both read
 * the same instant in the browser's time zone. Pages call `useFormat()`; code outside React
 * passes the locale explicitly.
 */
import { useMemo } from 'react';
import { useLocale, type Locale } from './i18n.tsx';

const INTL_LOCALE: Record<Locale, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

function parsed(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | number | Date | null | undefined, locale: Locale): string {
  const date = parsed(value);
  if (!date) return '—';
  return date.toLocaleString(INTL_LOCALE[locale], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A calendar date (`2026-12-01` as stored by date fields) is shown as that day, whatever the time zone. */
export function formatDate(value: string | number | Date | null | undefined, locale: Locale): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [year, month, day] = value.split('-').map(Number) as [number, number, number];
    return new Date(year, month - 1, day).toLocaleDateString(INTL_LOCALE[locale], { year: 'numeric', month: '2-digit', day: '2-digit' });
  }
  const date = parsed(value);
  return date ? date.toLocaleDateString(INTL_LOCALE[locale], { year: 'numeric', month: '2-digit', day: '2-digit' }) : '—';
}

export function formatNumber(value: number | null | undefined, locale: Locale, options?: Intl.NumberFormatOptions): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString(INTL_LOCALE[locale], options);
}

/** Time relative to now ("3 小时前" / "in 2 hours"), for notifications and deadlines. */
export function formatRelative(value: string | number | Date | null | undefined, locale: Locale, now = Date.now()): string {
  const date = parsed(value);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3_600], ['minute', 60]];
  const format = new Intl.RelativeTimeFormat(INTL_LOCALE[locale], { numeric: 'auto' });
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  return format.format(0, 'minute');
}

export function useFormat() {
  const { locale } = useLocale();
  return useMemo(
    () => ({
      locale,
      dateTime: (value: string | number | Date | null | undefined) => formatDateTime(value, locale),
      date: (value: string | number | Date | null | undefined) => formatDate(value, locale),
      number: (value: number | null | undefined, options?: Intl.NumberFormatOptions) => formatNumber(value, locale, options),
      relative: (value: string | number | Date | null | undefined) => formatRelative(value, locale),
    }),
    [locale],
  );
}
