/**
 * What an inbox row is about, in a few words: the summary entries the server chose for the
 * process (engine/inbox/summary.ts) with their titles, option labels in the reader's language
 * and numbers and money formatted by it (客户：华北电力 · 投诉类别：账单 · 金额：¥12,500.50).
 */
import { Typography } from 'antd';
import type { InboxItem } from '../api/types.ts';
import { formatDate, formatDateTime, formatNumber } from '../i18n/format.ts';
import { pickText, useLocale, useMessages, type Locale, type LocalizedText } from '../i18n/i18n.tsx';

export type SummaryEntry = InboxItem['summary'][number];

const messages = { zh: { yes: '是', no: '否' }, en: { yes: 'Yes', no: 'No' } };

/** One entry's value as the reader reads it. */
export function summaryValue(entry: SummaryEntry, locale: Locale, words: { yes: string; no: string }): string {
  switch (entry.kind) {
    case 'option':
      return pickText((entry.option ?? String(entry.value)) as LocalizedText, locale, String(entry.value));
    case 'money':
      return typeof entry.value === 'number' ? `¥${formatNumber(entry.value, locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : String(entry.value);
    case 'number':
      return typeof entry.value === 'number' ? formatNumber(entry.value, locale) : String(entry.value);
    case 'date':
      return formatDate(String(entry.value), locale);
    case 'dateTime':
      return formatDateTime(String(entry.value), locale);
    case 'boolean':
      return entry.value ? words.yes : words.no;
    default:
      return String(entry.value);
  }
}

/** The summary as one line of text (for toasts and titles). */
export function useSummaryText(): (summary: SummaryEntry[] | undefined) => string {
  const { locale } = useLocale();
  const t = useMessages(messages);
  const words = { yes: t('yes'), no: t('no') };
  return (summary) => (summary ?? []).map((entry) => summaryValue(entry, locale, words)).join(' · ');
}

export function InboxSummary({ summary, fallback }: { summary: SummaryEntry[] | undefined; fallback?: string | null }) {
  const { locale } = useLocale();
  const t = useMessages(messages);
  const words = { yes: t('yes'), no: t('no') };
  if (!summary?.length) return <Typography.Text type="secondary">{fallback || '—'}</Typography.Text>;
  return (
    <span className="inbox-summary" data-testid="inbox-summary">
      {summary.map((entry, index) => (
        <span key={entry.field} className="inbox-summary-entry">
          {index > 0 ? <Typography.Text type="secondary"> · </Typography.Text> : null}
          <Typography.Text type="secondary">{pickText(entry.label as LocalizedText, locale, entry.field)}：</Typography.Text>
          <Typography.Text>{summaryValue(entry, locale, words)}</Typography.Text>
        </span>
      ))}
    </span>
  );
}
