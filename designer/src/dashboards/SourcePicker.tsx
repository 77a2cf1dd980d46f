/** 数据源: form records, a sub-form's rows, process instances or process tasks, picked by name. */
import { Form, Radio, Select } from 'antd';
import { useMemo } from 'react';
import { call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { formsApi } from '../forms/api.ts';
import { pickText, useLocale, useMessages, type LocalizedText } from '../i18n/i18n.tsx';
import { messages } from './messages.ts';
import type { ChartSource } from './model.ts';
import { useSourceFields } from './sourceFields.ts';

type Kind = 'records' | 'subForm' | 'instances' | 'tasks';

const kindOf = (source: ChartSource): Kind => (source.kind === 'records' ? (source.subForm ? 'subForm' : 'records') : source.kind);

export function SourcePicker({ source, onChange, error }: { source: ChartSource; onChange: (source: ChartSource) => void; error?: string }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const forms = useLoad(() => formsApi.list(), []);
  const definitions = useLoad(() => call('listDefinitions'), []);
  const kind = kindOf(source);
  const formKey = source.kind === 'records' ? source.formKey : undefined;
  // The sub-forms are the array-of-object fields of the chosen form.
  const parentSource = useMemo<ChartSource | undefined>(() => (formKey ? { kind: 'records', formKey } : undefined), [formKey]);
  const { fields: parentFields } = useSourceFields(parentSource);
  const subForms = parentFields.filter((field) => field.subForm);
  const processKeys = [...new Map((definitions.data ?? []).map((definition) => [definition.key, definition.name ?? definition.key])).entries()];
  const firstForm = forms.data?.[0]?.key ?? '';

  const setKind = (next: Kind) => {
    if (next === 'records') onChange({ kind: 'records', formKey: formKey ?? firstForm });
    else if (next === 'subForm') onChange({ kind: 'records', formKey: formKey ?? firstForm, subForm: subForms[0]?.name ?? '' });
    else onChange({ kind: next, ...(source.kind !== 'records' && source.definitionKey ? { definitionKey: source.definitionKey } : {}) });
  };

  return (
    <>
      <Form.Item label={t('sourceKind')} validateStatus={error ? 'error' : undefined} help={error}>
        <Radio.Group value={kind} onChange={(event) => setKind(event.target.value as Kind)} data-testid="source-kind" optionType="button" buttonStyle="solid">
          <Radio.Button value="records">{t('kindRecords')}</Radio.Button>
          <Radio.Button value="subForm">{t('kindSubForm')}</Radio.Button>
          <Radio.Button value="instances">{t('kindInstances')}</Radio.Button>
          <Radio.Button value="tasks">{t('kindTasks')}</Radio.Button>
        </Radio.Group>
      </Form.Item>
      {source.kind === 'records' && (
        <Form.Item label={t('form')}>
          <Select
            data-testid="source-form"
            showSearch={{ optionFilterProp: 'label' }}
            value={source.formKey || undefined}
            loading={forms.loading}
            onChange={(next: string) => onChange(source.subForm !== undefined ? { kind: 'records', formKey: next, subForm: '' } : { kind: 'records', formKey: next })}
            options={(forms.data ?? []).map((form) => ({ value: form.key, label: `${pickText(form.title as LocalizedText, locale, form.key)} (${form.key})` }))}
          />
        </Form.Item>
      )}
      {source.kind === 'records' && kind === 'subForm' && (
        <Form.Item label={t('subForm')}>
          <Select
            data-testid="source-subform"
            value={source.subForm || undefined}
            onChange={(next: string) => onChange({ kind: 'records', formKey: source.formKey, subForm: next })}
            options={subForms.map((field) => ({ value: field.name, label: field.title }))}
          />
        </Form.Item>
      )}
      {source.kind !== 'records' && (
        <Form.Item label={t('process')}>
          <Select
            data-testid="source-process"
            allowClear
            placeholder={t('allProcesses')}
            value={source.definitionKey}
            onChange={(next?: string) => onChange(next ? { kind: source.kind, definitionKey: next } : { kind: source.kind })}
            options={processKeys.map(([key, name]) => ({ value: key, label: `${name} (${key})` }))}
          />
        </Form.Item>
      )}
    </>
  );
}
