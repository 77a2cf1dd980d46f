/** One stored value as short text for a table cell (option labels, money, dates, file counts…), in the chosen language. */
import { pickText, type Locale } from '../../i18n/i18n.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format.ts';

export function displayValue(value: unknown, schema: Record<string, any> | undefined, ui: unknown, locale: Locale): string {
  if (value === undefined || value === null || value === '') return '';
  const enumNames = (ui as Record<string, any> | undefined)?.['ui:enumNames'];
  const names: unknown[] | undefined = Array.isArray(enumNames) ? enumNames : enumNames?.[locale] ?? enumNames?.['zh-CN'];
  const values: unknown[] | undefined = schema?.enum ?? schema?.items?.enum;
  const label = (v: unknown) => {
    const i = values?.indexOf(v) ?? -1;
    return i >= 0 && names?.[i] ? String(names[i]) : String(v);
  };
  if (schema?.['x-widget'] === 'money' && typeof value === 'number') return formatNumber(value, locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (schema?.['x-widget'] === 'signature') return '✍';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object')) return value.map(label).join(locale === 'en' ? ', ' : '、');
    return locale === 'en' ? `${value.length} item(s)` : `${value.length} 项`;
  }
  if (typeof value === 'object') return Object.values(value as object).filter(Boolean).join(' ');
  if (schema?.format === 'date-time' && typeof value === 'string') return formatDateTime(value, locale);
  if (schema?.format === 'date' && typeof value === 'string') return formatDate(value, locale);
  if (typeof value === 'number' && !(values && values.includes(value))) return formatNumber(value, locale);
  return pickText(label(value), locale);
}
