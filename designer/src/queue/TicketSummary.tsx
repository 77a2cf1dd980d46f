/**
 * A ticket's record in a few words: the first fields of its form with their localized
 * titles and option names (e.g. 客户 · 抱怨类别 · 严重程度), read from the form's uiSchema.
 */
import { Space, Typography } from 'antd';
import { pickText, useLocale, type LocalizedText } from '../i18n/i18n.tsx';

export interface FormInfo {
  key: string;
  title: LocalizedText;
  schema: { properties?: Record<string, { enum?: unknown[]; type?: string }>; required?: string[] };
  uiSchema: Record<string, Record<string, unknown>>;
}

const SHOWN = 4;

export function fieldLabel(form: FormInfo | undefined, name: string, locale: 'zh-CN' | 'en'): string {
  return pickText(form?.uiSchema?.[name]?.['ui:title'] as LocalizedText, locale, name);
}

export function fieldValue(form: FormInfo | undefined, name: string, value: unknown, locale: 'zh-CN' | 'en'): string {
  const options = form?.schema.properties?.[name]?.enum;
  const names = form?.uiSchema?.[name]?.['ui:enumNames'] as string[] | Partial<Record<string, string[]>> | undefined;
  if (options && names) {
    const list = Array.isArray(names) ? names : (names[locale] ?? names['zh-CN'] ?? []);
    const index = options.indexOf(value);
    if (index >= 0 && list[index]) return list[index];
  }
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function TicketSummary({ form, data }: { form: FormInfo | undefined; data: Record<string, unknown> }) {
  const { locale } = useLocale();
  // Required fields first: they are what every record of the form has.
  const required = form?.schema.required ?? [];
  const names = [...required, ...Object.keys(data).filter((name) => !required.includes(name))]
    .filter((name) => data[name] !== undefined && data[name] !== '' && typeof data[name] !== 'object')
    .slice(0, SHOWN);
  return (
    <Space size={[12, 0]} wrap>
      {names.map((name) => (
        <span key={name}>
          <Typography.Text type="secondary">{fieldLabel(form, name, locale)}：</Typography.Text>
          <Typography.Text ellipsis style={{ maxWidth: 260 }}>
            {fieldValue(form, name, data[name], locale)}
          </Typography.Text>
        </span>
      ))}
    </Space>
  );
}
