/** Linked record (关联数据): which form, and which of its fields supplies the value. */
import { useEffect, useState } from 'react';
import { Form, Select } from 'antd';
import { pickText, useLocale, useMessages, type LocalizedText } from '../../i18n/i18n.tsx';
import { formsApi, formTitle, type FormVersion } from '../api.ts';
import { designerMessages } from './messages.ts';

export function LookupEditor(props: { value: { form: string; field: string }; onChange(value: { form: string; field: string }): void }) {
  const t = useMessages(designerMessages);
  const { locale } = useLocale();
  const [forms, setForms] = useState<FormVersion[]>([]);
  useEffect(() => {
    formsApi.list().then(setForms, () => setForms([]));
  }, []);
  const chosen = forms.find((f) => f.key === props.value.form);
  const properties = (chosen?.schema.properties ?? {}) as Record<string, { type?: string }>;
  const fieldUi = (key: string) => (chosen?.uiSchema[key] as Record<string, unknown> | undefined)?.['ui:title'] as LocalizedText;
  return (
    <>
      <Form.Item label={t('lookupForm')}>
        <Select
          value={props.value.form || undefined}
          data-testid="prop-lookup-form"
          showSearch={{ optionFilterProp: 'label' }}
          options={forms.map((f) => ({ value: f.key, label: `${pickText(formTitle(f) as LocalizedText, locale)} (${f.key})` }))}
          onChange={(form) => props.onChange({ form, field: '' })}
        />
      </Form.Item>
      <Form.Item label={t('lookupField')}>
        <Select
          value={props.value.field || undefined}
          data-testid="prop-lookup-field"
          options={Object.entries(properties)
            .filter(([, s]) => s.type === 'string' || s.type === 'number' || s.type === 'integer')
            .map(([key]) => ({ value: key, label: `${pickText(fieldUi(key), locale, key)} (${key})` }))}
          onChange={(field) => props.onChange({ ...props.value, field })}
        />
      </Form.Item>
    </>
  );
}
