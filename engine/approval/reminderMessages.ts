/**
 * The built-in reminder a node timeout sends (`remindAfter`) when the admin stored no in-app
 * `task_due` template: one message per language, each recipient getting the one of their own
 * locale (`users.locale`, zh-CN unless set), so a title reads in one language and fits the bell.
 */
import type { Knex } from 'knex';
import type { MessageTemplate } from '../store/templates.ts';
import type { IsoDuration } from '../timers/iso.ts';

export type ReminderLocale = 'zh-CN' | 'en';

/** In-app, so escaped like every in-app template: the task name may come from record data. */
export const BUILT_IN_REMINDERS: Record<ReminderLocale, MessageTemplate> = {
  'zh-CN': {
    key: 'builtin:task-remind:zh-CN',
    channel: 'inApp',
    subject: '任务即将超时：{{taskName}}',
    body: '您的待办「{{taskName}}」已等待 {{remindAfterText}}{{#if dueAt}}，将于 {{date dueAt locale="zh-CN"}} 超时{{/if}}，请及时处理。',
    config: {},
    updatedAt: 'builtin',
  },
  en: {
    key: 'builtin:task-remind:en',
    channel: 'inApp',
    subject: 'Task due soon: {{taskName}}',
    body: 'Your task "{{taskName}}" has been waiting for {{remindAfterText}}{{#if dueAt}} and times out at {{date dueAt locale="en"}}{{/if}}. Please handle it.',
    config: {},
    updatedAt: 'builtin',
  },
};

const UNITS: Record<ReminderLocale, Record<'year' | 'month' | 'day' | 'hour' | 'minute', (n: number) => string>> = {
  'zh-CN': { year: (n) => `${n} 年`, month: (n) => `${n} 个月`, day: (n) => `${n} 天`, hour: (n) => `${n} 小时`, minute: (n) => `${n} 分钟` },
  en: {
    year: (n) => `${n} year${n === 1 ? '' : 's'}`,
    month: (n) => `${n} month${n === 1 ? '' : 's'}`,
    day: (n) => `${n} day${n === 1 ? '' : 's'}`,
    hour: (n) => `${n} hour${n === 1 ? '' : 's'}`,
    minute: (n) => `${n} minute${n === 1 ? '' : 's'}`,
  },
};

/** `P1DT2H` as people say it: 1 天 2 小时 / 1 day 2 hours (seconds are left out; under a minute reads as 1 minute). */
export function durationWords(duration: IsoDuration, locale: ReminderLocale): string {
  const unit = UNITS[locale];
  const hours = Math.floor(duration.ms / 3_600_000);
  const minutes = Math.floor((duration.ms % 3_600_000) / 60_000);
  const parts = [
    duration.years && unit.year(duration.years),
    duration.months && unit.month(duration.months),
    duration.days && unit.day(duration.days),
    hours && unit.hour(hours),
    minutes && unit.minute(minutes),
  ].filter((part): part is string => Boolean(part));
  return (parts.length ? parts : [unit.minute(1)]).join(' ');
}

/** The recipients by their language; an unknown locale reads zh-CN, the product's first language. */
export async function byLocale(db: Knex, usernames: string[]): Promise<Map<ReminderLocale, string[]>> {
  const rows: { username: string; locale: string | null }[] = await db('users').whereIn('username', usernames).select('username', 'locale');
  const locales = new Map(rows.map((row) => [row.username, row.locale === 'en' ? 'en' : 'zh-CN'] as const));
  const groups = new Map<ReminderLocale, string[]>();
  for (const username of usernames) {
    const locale = locales.get(username) ?? 'zh-CN';
    groups.set(locale, [...(groups.get(locale) ?? []), username]);
  }
  return groups;
}
