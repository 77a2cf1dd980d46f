/**
 * Pickers fed by the server: member (GET /api/users, any logged-in user may list them; falls
 * back to a plain username input if listing fails), department (GET /api/departments, stores
 * the department code) and linked record (`x-lookup: {form, field}`: the distinct values of
 * that field in GET /api/forms/<form>/records; stores the value, as the templates do).
 */
import { useEffect, useState } from 'react';
import { Input, Select } from 'antd';
import type { WidgetProps } from '@rjsf/utils';
import { api, call } from '../../../api/client.ts';
import type { Department, User } from '../../../api/types.ts';

interface Option {
  value: string;
  label: string;
}

const cache = new Map<string, Promise<Option[]>>();

function cached(key: string, load: () => Promise<Option[]>): Promise<Option[]> {
  let entry = cache.get(key);
  if (!entry) {
    entry = load();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key)); // retry next time rather than remember a failure
  }
  return entry;
}

function useOptions(key: string, load: () => Promise<Option[]>): { options: Option[]; loading: boolean; failed: boolean } {
  const [state, setState] = useState({ options: [] as Option[], loading: true, failed: false });
  useEffect(() => {
    let live = true;
    cached(key, load).then(
      (options) => live && setState({ options, loading: false, failed: false }),
      () => live && setState({ options: [], loading: false, failed: true }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}

function PickerSelect({ choices, ...props }: WidgetProps & { choices: Option[]; loading: boolean; testid: string }) {
  const value = typeof props.value === 'string' && props.value !== '' ? props.value : undefined;
  const options = value && !choices.some((o) => o.value === value) ? [...choices, { value, label: value }] : choices;
  return (
    <Select
      id={props.id}
      data-testid={props.testid}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      loading={props.loading}
      value={value}
      options={options}
      placeholder={props.placeholder}
      disabled={props.disabled || props.readonly}
      onChange={(v) => props.onChange(v ?? undefined)}
      style={{ width: '100%' }}
    />
  );
}

export function UserPickerWidget(props: WidgetProps) {
  const state = useOptions('users', async () =>
    (await api.get<User[]>('/users'))
      .filter((u) => u.active)
      .map((u) => ({ value: u.username, label: `${u.displayName} (${u.username})` })),
  );
  if (state.failed) {
    return <Input id={props.id} value={props.value ?? ''} disabled={props.disabled || props.readonly} onChange={(e) => props.onChange(e.target.value || undefined)} />;
  }
  return <PickerSelect {...props} choices={state.options} loading={state.loading} testid={`member-${props.id}`} />;
}

export function DepartmentWidget(props: WidgetProps) {
  const en = props.registry.formContext?.locale === 'en';
  const state = useOptions(`departments:${en}`, async () =>
    (await api.get<Department[]>('/departments')).map((d) => ({ value: d.code, label: `${en ? (d.nameEn ?? d.name) : d.name} (${d.code})` })),
  );
  return <PickerSelect {...props} choices={state.options} loading={state.loading} testid={`department-${props.id}`} />;
}

export function LookupWidget(props: WidgetProps) {
  const lookup = (props.schema['x-lookup'] ?? {}) as { form?: string; field?: string };
  const state = useOptions(`lookup:${lookup.form}:${lookup.field}`, async () => {
    if (!lookup.form || !lookup.field) return [];
    const page = await call('listRecords', { path: { key: lookup.form }, query: { pageSize: 200 } });
    const values = new Set<string>();
    for (const record of page.items) {
      const value = record.data[lookup.field];
      if (value !== undefined && value !== null && value !== '') values.add(String(value));
    }
    return [...values].sort().map((value) => ({ value, label: value }));
  });
  return <PickerSelect {...props} choices={state.options} loading={state.loading} testid={`lookup-${props.id}`} />;
}
