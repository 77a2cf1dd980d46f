/**
 * Small pieces every admin page uses: turning a 422's details into per-field messages, the FEEL input checked as you type, time display,
 * and the organisation (users, departments) that many selects need.
 */
import { Button, Input, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useFormat } from '../i18n/format.ts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, call } from '../api/client.ts';
import type { Department } from '../api/types.ts';
import { useLoad } from '../api/useLoad.ts';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { feelProblem } from './feel.ts';

/** A 422's details by JSON pointer (first message wins). */
export function detailsByPointer(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const detail of error.details) out[detail.pointer] ??= detail.message;
  return out;
}

/** antd Form.Item props that show a server message under the field (nothing when there is none). */
export function fieldError(message: string | undefined, testId: string) {
  return message ? { validateStatus: 'error' as const, help: <span data-testid={testId}>{message}</span> } : {};
}

/** The errors left once the user changes fields: a field's own message goes as they edit it. */
export function withoutChanged(errors: Record<string, string>, changed: Record<string, unknown>): Record<string, string> {
  const names = Object.keys(changed);
  return Object.fromEntries(Object.entries(errors).filter(([pointer]) => !names.some((name) => pointer.startsWith(`/${name}`))));
}

/** The message to show in a toast for a failed call. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const first = error.details[0];
    return first && !error.message.includes(first.message) ? `${error.message}（${first.pointer} ${first.message}）` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function useTime() {
  return useFormat().dateTime;
}

export function useOrganisation() {
  return useLoad(async () => {
    const [users, departments] = await Promise.all([call('listUsers'), call('listDepartments')]);
    return { users, departments };
  }, []);
}

export function useDepartmentName() {
  const { locale } = useLocale();
  return useCallback((d: Department | undefined) => (d ? (locale === 'en' && d.nameEn) || d.name : '—'), [locale]);
}

const feelMessages = {
  zh: { ok: 'FEEL 语法正确', add: '添加一项', name: '字段名', expression: 'FEEL 表达式' },
  en: { ok: 'Valid FEEL', add: 'Add entry', name: 'Field', expression: 'FEEL expression' },
};

/**
 * A FEEL expression box: the syntax is checked with feelin on every keystroke and the problem
 * shown under it; `serverError` (from a 422) shows until the text changes.
 */
export function FeelInput(props: {
  value: string;
  onChange(value: string): void;
  testId: string;
  serverError?: string;
  placeholder?: string;
  optional?: boolean;
}) {
  const t = useMessages(feelMessages);
  const [shownServerError, setShownServerError] = useState(props.serverError);
  useEffect(() => setShownServerError(props.serverError), [props.serverError]);
  const local = useMemo(() => (props.optional && !props.value.trim() ? null : feelProblem(props.value)), [props.value, props.optional]);
  const problem = local ?? shownServerError;
  return (
    <div style={{ width: '100%' }}>
      <Input
        value={props.value}
        status={problem ? 'error' : undefined}
        placeholder={props.placeholder}
        style={{ fontFamily: 'monospace' }}
        data-testid={props.testId}
        onChange={(event) => {
          setShownServerError(undefined);
          props.onChange(event.target.value);
        }}
      />
      {problem ? (
        <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`${props.testId}-error`}>
          {problem}
        </Typography.Text>
      ) : props.value.trim() ? (
        <Typography.Text type="success" style={{ fontSize: 12 }}>
          {t('ok')}
        </Typography.Text>
      ) : null}
    </div>
  );
}

/** `{name: FEEL}` edited as rows (automation data, match, set, variables). */
export function ExpressionMap(props: {
  value: Record<string, string>;
  onChange(value: Record<string, string>): void;
  testId: string;
  errors: Record<string, string>;
  /** The JSON pointer of this map in the request, to find its entries' 422 details. */
  pointer: string;
}) {
  const t = useMessages(feelMessages);
  const entries = Object.entries(props.value);
  const update = (index: number, name: string, expression: string) => {
    const next = entries.map((entry, i) => (i === index ? ([name, expression] as [string, string]) : entry));
    props.onChange(Object.fromEntries(next));
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={4}>
      {entries.map(([name, expression], index) => (
        <Space key={index} align="start" style={{ width: '100%' }}>
          <Input
            style={{ width: 160 }}
            placeholder={t('name')}
            value={name}
            data-testid={`${props.testId}-${index}-name`}
            onChange={(event) => update(index, event.target.value, expression)}
          />
          <div style={{ minWidth: 280, flex: 1 }}>
            <FeelInput
              value={expression}
              placeholder={t('expression')}
              testId={`${props.testId}-${index}-expression`}
              serverError={props.errors[`${props.pointer}/${name}`]}
              onChange={(text) => update(index, name, text)}
            />
          </div>
          <Button icon={<DeleteOutlined />} onClick={() => props.onChange(Object.fromEntries(entries.filter((_, i) => i !== index)))} />
        </Space>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        data-testid={`${props.testId}-add`}
        onClick={() => props.onChange({ ...props.value, [`field${entries.length + 1}`]: '' })}
      >
        {t('add')}
      </Button>
    </Space>
  );
}
