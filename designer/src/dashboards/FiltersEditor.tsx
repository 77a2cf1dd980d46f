/** 仪表盘筛选: the filter bar's controls — date range, department, owner, or a form field — with their labels. */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, Modal, Select, Space, Typography, type ButtonProps } from 'antd';
import { useEffect, useState } from 'react';
import type { ErrorDetail } from '../api/client.ts';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { messageAt } from './errors.ts';
import { messages } from './messages.ts';
import type { DashboardFilter, DashboardFilterKind } from './model.ts';

export function FiltersEditor({ open, filters, details, onDone, onCancel }: { open: boolean; filters: DashboardFilter[]; details: ErrorDetail[]; onDone: (filters: DashboardFilter[]) => void; onCancel: () => void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters, open]);
  const kindLabel: Record<DashboardFilterKind, string> = { dateRange: t('filterDateRange'), department: t('filterDepartment'), owner: t('filterOwner'), field: t('filterField') };
  const nextId = () => {
    const taken = new Set(draft.map((filter) => filter.id));
    let n = draft.length + 1;
    while (taken.has(`f${n}`)) n += 1;
    return `f${n}`;
  };
  const set = (index: number, patch: Partial<DashboardFilter>) => setDraft(draft.map((filter, i) => (i === index ? { ...filter, ...patch } : filter)));
  return (
    <Modal open={open} width={720} title={t('dashboardFilters')} onCancel={onCancel} onOk={() => onDone(draft)} okText={t('done')} cancelText={t('cancel')} okButtonProps={{ 'data-testid': 'filters-editor-done' } as ButtonProps} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="filters-editor">
        {draft.map((filter, index) => (
          <div key={filter.id}>
            <Space wrap>
              <Select
                data-testid={`filters-editor-kind-${index}`}
                style={{ width: 130 }}
                value={filter.kind}
                onChange={(kind: DashboardFilterKind) => set(index, { kind, label: kindLabel[kind], field: kind === 'field' ? filter.field : undefined })}
                options={(Object.keys(kindLabel) as DashboardFilterKind[]).map((kind) => ({ value: kind, label: kindLabel[kind] }))}
              />
              <Input
                data-testid={`filters-editor-label-${index}`}
                style={{ width: 180 }}
                placeholder={t('filterLabel')}
                value={pickText(filter.label, locale)}
                onChange={(event) => set(index, { label: { ...(typeof filter.label === 'object' ? filter.label : {}), [locale]: event.target.value } })}
              />
              {filter.kind === 'field' && (
                <Input data-testid={`filters-editor-field-${index}`} style={{ width: 160 }} placeholder={t('filterFieldName')} value={filter.field ?? ''} onChange={(event) => set(index, { field: event.target.value })} />
              )}
              <Button type="text" icon={<DeleteOutlined />} aria-label="remove" onClick={() => setDraft(draft.filter((_, i) => i !== index))} />
            </Space>
            {messageAt(details, `/filters/${index}`) && <Typography.Text type="danger">{messageAt(details, `/filters/${index}`)}</Typography.Text>}
          </div>
        ))}
        {draft.length < 10 && (
          <Button
            icon={<PlusOutlined />}
            data-testid="filters-editor-add"
            onClick={() => setDraft([...draft, { id: nextId(), kind: 'dateRange', label: { 'zh-CN': t('filterDateRange'), [locale]: t('filterDateRange') } }])}
          >
            {t('addDashboardFilter')}
          </Button>
        )}
      </Space>
    </Modal>
  );
}
