/**
 * The record page's 个人信息 strip: each personal field of the record as the reader received it
 * (masked unless already shown), its kind, and — for a reader with 查看明文 — a 显示 button. A
 * shown value is handed up so the form below shows it too.
 */
import { Descriptions, Space, Typography } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { privacyMessages } from './messages.ts';
import { PersonalTag } from './PersonalTag.tsx';
import { UnmaskButton } from './UnmaskButton.tsx';

export function PersonalValues(props: {
  formKey: string;
  recordId: string;
  /** field → personal kind, for the fields present in the record. */
  personal: Record<string, string>;
  titles: Record<string, string>;
  data: Record<string, unknown>;
  /** Fields already shown in clear. */
  shown: Record<string, unknown>;
  canUnmask: boolean;
  onShown(field: string, value: unknown): void;
}) {
  const t = useMessages(privacyMessages);
  const fields = Object.keys(props.personal).filter((field) => props.data[field] !== undefined && props.data[field] !== null && props.data[field] !== '');
  if (!fields.length) return null;
  const text = (value: unknown) => (typeof value === 'object' ? Object.values(value as object).filter(Boolean).join(' ') : String(value));
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, sm: 2 }}
      style={{ marginBottom: 16 }}
      title={<Typography.Text type="secondary">{t('personalTitle')}</Typography.Text>}
      data-testid="record-personal"
      items={fields.map((field) => ({
        key: field,
        label: (
          <Space size={4}>
            {props.titles[field] ?? field}
            <PersonalTag kind={props.personal[field]} />
          </Space>
        ),
        children: (
          <Space size={4}>
            <span data-testid={`personal-value-${field}`}>{text(field in props.shown ? props.shown[field] : props.data[field])}</span>
            {props.canUnmask && !(field in props.shown) ? (
              <UnmaskButton formKey={props.formKey} recordId={props.recordId} field={field} onClear={(value) => props.onShown(field, value)} />
            ) : null}
          </Space>
        ),
      }))}
    />
  );
}
