/**
 * Per-field filters above the record list, in the words people read: a select, radio or
 * checkbox field offers its option labels, a date field a range, a number field a min–max, a
 * text field "contains", a personal field the whole value (it is stored encrypted). Each filter becomes `filter[field][op]=…` (the server reads a choice
 * by its stored value or any label, engine/forms/query.ts).
 */
import { DatePicker, Flex, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMessages } from '../../i18n/i18n.tsx';
import type { RecordField } from './fields.ts';
import { recordMessages } from './i18n.ts';

export type FilterValue =
  | { kind: 'choice'; value: string | number | boolean }
  | { kind: 'range'; from?: string | number; to?: string | number }
  | { kind: 'contains'; text: string }
  | { kind: 'exact'; text: string };

export type FilterState = Record<string, FilterValue | undefined>;

/** The query parameters of the filters that are set. */
export function filterParams(fields: RecordField[], state: FilterState): Record<string, string> {
  const params: Record<string, string> = {};
  for (const field of fields) {
    const filter = state[field.name];
    if (!filter) continue;
    if (filter.kind === 'choice') params[`filter[${field.name}]`] = String(filter.value);
    else if (filter.kind === 'contains' && filter.text.trim()) params[`filter[${field.name}][contains]`] = filter.text.trim();
    else if (filter.kind === 'exact' && filter.text.trim()) params[`filter[${field.name}]`] = filter.text.trim();
    else if (filter.kind === 'range') {
      if (filter.from !== undefined && filter.from !== '') params[`filter[${field.name}][gte]`] = String(filter.from);
      if (filter.to !== undefined && filter.to !== '') params[`filter[${field.name}][lte]`] = String(filter.to);
    }
  }
  return params;
}

/** Fields that get a filter control, in form order. */
export const filterable = (field: RecordField) => field.kind !== 'other';

/** A day range as the server compares it: whole days, and for date-time fields the instants in the browser's zone. */
function dayRange(field: RecordField, range: [Dayjs | null, Dayjs | null] | null): FilterValue | undefined {
  if (!range || (!range[0] && !range[1])) return undefined;
  const [from, to] = range;
  if (field.kind === 'date') return { kind: 'range', from: from?.format('YYYY-MM-DD'), to: to?.format('YYYY-MM-DD') };
  return { kind: 'range', from: from?.startOf('day').format(), to: to?.endOf('day').format() };
}

function FieldFilter({ field, value, onChange }: { field: RecordField; value: FilterValue | undefined; onChange: (next: FilterValue | undefined) => void }) {
  const t = useMessages(recordMessages);
  const testid = `records-filter-${field.name}`;
  switch (field.kind) {
    case 'choice':
    case 'choices':
    case 'boolean': {
      const options =
        field.kind === 'boolean' && field.options.length === 0
          ? [
              { value: 'true', label: '✓' },
              { value: 'false', label: '✗' },
            ]
          : field.options.map((option) => ({ value: String(option.value), label: option.label }));
      return (
        <Select
          style={{ minWidth: 140 }}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('any')}
          data-testid={testid}
          value={value?.kind === 'choice' ? String(value.value) : undefined}
          options={options}
          onChange={(next: string | undefined) => onChange(next === undefined ? undefined : { kind: 'choice', value: next })}
        />
      );
    }
    case 'date':
    case 'dateTime':
      return <DatePicker.RangePicker data-testid={testid} allowEmpty={[true, true]} onChange={(range) => onChange(dayRange(field, range))} />;
    case 'number': {
      const range = value?.kind === 'range' ? value : { kind: 'range' as const };
      const set = (side: 'from' | 'to', next: number | null) => {
        const updated = { ...range, [side]: next ?? undefined };
        onChange(updated.from === undefined && updated.to === undefined ? undefined : updated);
      };
      return (
        <Space.Compact data-testid={testid}>
          <InputNumber style={{ width: 100 }} placeholder={t('from')} onChange={(next) => set('from', next as number | null)} data-testid={`${testid}-from`} />
          <InputNumber style={{ width: 100 }} placeholder={t('to')} onChange={(next) => set('to', next as number | null)} data-testid={`${testid}-to`} />
        </Space.Compact>
      );
    }
    case 'exact':
      return (
        <Input.Search
          style={{ width: 180 }}
          allowClear
          placeholder={t('exact')}
          data-testid={testid}
          onSearch={(text) => onChange(text.trim() ? { kind: 'exact', text } : undefined)}
        />
      );
    default:
      return (
        <Input.Search
          style={{ width: 180 }}
          allowClear
          placeholder={t('contains')}
          data-testid={testid}
          onSearch={(text) => onChange(text.trim() ? { kind: 'contains', text } : undefined)}
        />
      );
  }
}

export function RecordFilters({ fields, state, onChange }: { fields: RecordField[]; state: FilterState; onChange: (next: FilterState) => void }) {
  return (
    <Flex wrap gap={12} style={{ marginBottom: 12 }} data-testid="records-filters">
      {fields.filter(filterable).map((field) => (
        <Space key={field.name} size={4}>
          <Typography.Text type="secondary">{field.title}</Typography.Text>
          <FieldFilter field={field} value={state[field.name]} onChange={(next) => onChange({ ...state, [field.name]: next })} />
        </Space>
      ))}
    </Flex>
  );
}
