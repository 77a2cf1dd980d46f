/**
 * The schedule of a scheduled automation (定时触发): a cron expression (with common presets)
 * in a time zone, or an interval in minutes; below it the next run times as the browser
 * computes them (automationSchedule.ts), and the server's 422 messages under their field.
 *
 * Test ids: `automation-schedule-mode` (radio cron | interval), `automation-schedule-preset`,
 * `automation-schedule-cron`, `automation-schedule-timeZone`, `automation-schedule-minutes`,
 * `automation-schedule-preview`, `automation-schedule-problem`.
 */
import { Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { DEFAULT_TIME_ZONE, foreignZone, formatRunTime, previewSchedule, type ScheduleDraft } from './automationSchedule.ts';
import { fieldError } from './shared.tsx';

const messages = {
  zh: {
    mode: '重复方式',
    cron: '按时间表（cron）',
    interval: '固定间隔',
    preset: '常用',
    daily: '每天 9:00',
    weekly: '每周一 9:00',
    monthly: '每月 1 日 9:00',
    quarterly: '每季度首日 9:00',
    hourly: '每小时整点',
    expression: 'cron 表达式（分 时 日 月 周）',
    timeZone: '时区',
    minutes: '间隔（分钟）',
    next: '接下来的运行时间：{times}',
    bad: '无法解析：{reason}',
    fields: '需要 5 个字段（分 时 日 月 周），现在是 {n} 个',
    empty: '请填写',
  },
  en: {
    mode: 'Repeat',
    cron: 'On a timetable (cron)',
    interval: 'At a fixed interval',
    preset: 'Common',
    daily: 'Daily 9:00',
    weekly: 'Mondays 9:00',
    monthly: '1st of each month 9:00',
    quarterly: 'First day of each quarter 9:00',
    hourly: 'Every hour on the hour',
    expression: 'Cron expression (minute hour day month weekday)',
    timeZone: 'Time zone',
    minutes: 'Interval (minutes)',
    next: 'Next runs: {times}',
    bad: 'Cannot read it: {reason}',
    fields: 'Needs 5 fields (minute hour day month weekday), has {n}',
    empty: 'Fill this in',
  },
};

const PRESETS = [
  ['daily', '0 9 * * *'],
  ['weekly', '0 9 * * 1'],
  ['monthly', '0 9 1 * *'],
  ['quarterly', '0 9 1 1,4,7,10 *'],
  ['hourly', '0 * * * *'],
] as const;

const TIME_ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];

export function AutomationScheduleInput(props: { value: ScheduleDraft | null; onChange(value: ScheduleDraft): void; errors: Record<string, string> }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const value = props.value ?? { cron: '0 9 * * *', timeZone: DEFAULT_TIME_ZONE };
  const byCron = 'cron' in value;
  const preview = useMemo(() => previewSchedule(value, new Date()), [value]);
  const error = (pointer: string) => fieldError(props.errors[pointer], `automation-error-${pointer.slice(1)}`);
  const problem =
    preview.problem === null || preview.problem === 'empty'
      ? preview.problem === 'empty' ? t('empty') : null
      : preview.problem.startsWith('fields:')
        ? t('fields', { n: preview.problem.slice('fields:'.length) })
        : t('bad', { reason: preview.problem });

  return (
    <div data-testid="automation-schedule" style={{ width: '100%' }}>
      <Form.Item label={t('mode')} {...error('/schedule')}>
        <Radio.Group
          value={byCron ? 'cron' : 'interval'}
          data-testid="automation-schedule-mode"
          onChange={(event) => props.onChange(event.target.value === 'cron' ? { cron: '0 9 * * *', timeZone: DEFAULT_TIME_ZONE } : { intervalSeconds: 3600 })}
          options={[
            { value: 'cron', label: t('cron') },
            { value: 'interval', label: t('interval') },
          ]}
        />
      </Form.Item>
      {byCron ? (
        <Space size="middle" wrap align="start">
          <Form.Item label={t('preset')}>
            <Select
              style={{ width: 200 }}
              data-testid="automation-schedule-preset"
              value={PRESETS.find(([, cron]) => cron === value.cron.trim())?.[1] ?? null}
              placeholder="—"
              onChange={(cron: string) => props.onChange({ ...value, cron })}
              options={PRESETS.map(([key, cron]) => ({ value: cron, label: t(key) }))}
            />
          </Form.Item>
          <Form.Item label={t('expression')} {...error('/schedule/cron')}>
            <Input
              style={{ width: 220, fontFamily: 'monospace' }}
              value={value.cron}
              status={problem ? 'error' : undefined}
              data-testid="automation-schedule-cron"
              onChange={(event) => props.onChange({ ...value, cron: event.target.value })}
            />
          </Form.Item>
          <Form.Item label={t('timeZone')} {...error('/schedule/timeZone')}>
            <Select
              style={{ width: 200 }}
              showSearch
              data-testid="automation-schedule-timeZone"
              value={value.timeZone || DEFAULT_TIME_ZONE}
              onChange={(timeZone: string) => props.onChange({ ...value, timeZone })}
              options={TIME_ZONES.map((zone) => ({ value: zone, label: zone }))}
            />
          </Form.Item>
        </Space>
      ) : (
        <Form.Item label={t('minutes')} {...error('/schedule/intervalSeconds')}>
          <InputNumber
            min={1}
            step={1}
            precision={0}
            style={{ width: 160 }}
            data-testid="automation-schedule-minutes"
            value={Math.round(value.intervalSeconds / 60)}
            onChange={(minutes) => props.onChange({ intervalSeconds: Math.max(0, Number(minutes ?? 0)) * 60 })}
          />
        </Form.Item>
      )}
      <div style={{ marginTop: 4 }}>
        {problem ? (
          <Typography.Text type="danger" data-testid="automation-schedule-problem">
            {problem}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary" data-testid="automation-schedule-preview">
            {t('next', { times: preview.runs.map((run) => formatRunTime(run, locale, value, false)).join(' · ') })}
            {foreignZone(value) ? ` (${foreignZone(value)})` : ''}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}
