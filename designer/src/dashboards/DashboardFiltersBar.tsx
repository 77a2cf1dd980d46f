/**
 * The dashboard's filter bar: a date range, a department, an owner, or a value of a form
 * field, each as the admin defined it; every widget it applies to is queried again on change.
 */
import { DatePicker, Input, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { messages } from './messages.ts';
import type { DashboardFilter, FilterValue } from './model.ts';

export interface DashboardFiltersBarProps {
  filters: DashboardFilter[];
  values: Record<string, FilterValue>;
  onChange: (id: string, value: FilterValue) => void;
}

export function DashboardFiltersBar({ filters, values, onChange }: DashboardFiltersBarProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const needsDepartments = filters.some((filter) => filter.kind === 'department');
  const needsUsers = filters.some((filter) => filter.kind === 'owner');
  const departments = useLoad(() => (needsDepartments ? call('listDepartments') : Promise.resolve([])), [needsDepartments]);
  const users = useLoad(() => (needsUsers ? call('listUsers') : Promise.resolve([])), [needsUsers]);
  if (filters.length === 0) return null;
  return (
    <Space wrap size="middle" data-testid="dashboard-filters" style={{ marginBottom: 12 }}>
      {filters.map((filter) => {
        const label = pickText(filter.label, locale, filter.id);
        const value = values[filter.id];
        let control;
        if (filter.kind === 'dateRange') {
          // A relative default (today-30d) is the server's to resolve: the picker shows no range for it.
          const range = Array.isArray(value) && dayjs(value[0]).isValid() && dayjs(value[1]).isValid() ? ([dayjs(value[0]), dayjs(value[1])] as [dayjs.Dayjs, dayjs.Dayjs]) : null;
          control = (
            <DatePicker.RangePicker
              value={range}
              onChange={(dates) => onChange(filter.id, dates?.[0] && dates[1] ? [dates[0].format('YYYY-MM-DD'), dates[1].format('YYYY-MM-DD')] : null)}
            />
          );
        } else if (filter.kind === 'department') {
          control = (
            <Select
              allowClear
              style={{ minWidth: 160 }}
              placeholder={t('allDepartments')}
              value={(value as string) || undefined}
              onChange={(next) => onChange(filter.id, next ?? null)}
              options={[
                // The shipped boards default to the viewer's own departments (a head sees theirs; an admin all).
                { value: '$myDepartments', label: t('myDepartments') },
                ...(departments.data ?? []).map((department) => ({ value: department.code, label: locale === 'en' ? (department.nameEn ?? department.name) : department.name })),
              ]}
            />
          );
        } else if (filter.kind === 'owner') {
          control = (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ minWidth: 160 }}
              placeholder={t('allOwners')}
              value={(value as string) || undefined}
              onChange={(next) => onChange(filter.id, next ?? null)}
              options={[{ value: '$me', label: t('me') }, ...(users.data ?? []).map((user) => ({ value: user.username, label: user.displayName }))]}
            />
          );
        } else {
          control = <Input.Search data-testid={`dashboard-filter-input-${filter.id}`} allowClear style={{ width: 180 }} placeholder={t('any')} defaultValue={(value as string) ?? ''} onSearch={(next) => onChange(filter.id, next || null)} />;
        }
        return (
          <Space key={filter.id} size={6} data-testid={`dashboard-filter-${filter.id}`}>
            <Typography.Text type="secondary">{label}</Typography.Text>
            {control}
          </Space>
        );
      })}
    </Space>
  );
}
