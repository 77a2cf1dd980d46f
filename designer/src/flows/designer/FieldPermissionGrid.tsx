/**
 * 字段权限: every field of the bound form × 隐藏 / 只读 / 可编辑 / 必填. Unlisted fields are
 * 可编辑 (engine/approval/nodeSettings.ts), so only the others are written.
 */
import { Radio, Table, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import { FIELD_ACCESS, type FieldAccess } from '../model/liuzhuanExtensions.ts';
import type { FormField } from './useFlowData.ts';

const messages = {
  zh: { field: '字段', hidden: '隐藏', readonly: '只读', editable: '可编辑', required: '必填', empty: '先在流程设置中选择流程表单', all: '全部' },
  en: { field: 'Field', hidden: 'Hidden', readonly: 'Read', editable: 'Edit', required: 'Required', empty: 'Choose the flow form in the flow settings first', all: 'All' },
};

export interface FieldPermissionGridProps {
  fields: FormField[];
  loading?: boolean;
  value: Record<string, FieldAccess>;
  onChange(next: Record<string, FieldAccess>): void;
}

export function FieldPermissionGrid({ fields, loading, value, onChange }: FieldPermissionGridProps) {
  const t = useMessages(messages);
  const set = (name: string, access: FieldAccess) => {
    const next = { ...value };
    if (access === 'editable') delete next[name];
    else next[name] = access;
    onChange(next);
  };
  const setAll = (access: FieldAccess) => {
    const next: Record<string, FieldAccess> = {};
    if (access !== 'editable') for (const field of fields) next[field.name] = access;
    onChange(next);
  };
  return (
    <Table
      size="small"
      rowKey="name"
      loading={loading}
      pagination={false}
      dataSource={fields}
      data-testid="field-permissions"
      locale={{ emptyText: t('empty') }}
      columns={[
        {
          title: t('field'),
          dataIndex: 'title',
          render: (title: string, field: FormField) => (
            <span data-testid={`perm-row-${field.name}`}>
              {title}
              {title !== field.name && <Typography.Text type="secondary" style={{ fontSize: 11 }}> {field.name}</Typography.Text>}
            </span>
          ),
        },
        ...FIELD_ACCESS.map((access) => ({
          title: (
            <Typography.Link onClick={() => setAll(access)} data-testid={`perm-all-${access}`} title={t('all')} style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
              {t(access)}
            </Typography.Link>
          ),
          key: access,
          align: 'center' as const,
          width: 64,
          render: (_: unknown, field: FormField) => (
            <Radio
              checked={(value[field.name] ?? 'editable') === access}
              onChange={() => set(field.name, access)}
              data-testid={`perm-${field.name}-${access}`}
              aria-label={`${field.title} ${t(access)}`}
            />
          ),
        })),
      ]}
    />
  );
}
