/** The columns of a sub-form: a nested field list (text/number/money/date/select/member) with the same property editor. */
import { useState } from 'react';
import { Button, Card, Select, Space, Tag } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { COLUMN_TYPES, createField, paletteLabel, type DesignField, type FieldType } from '../model/fieldTypes.ts';
import { FieldProperties } from './FieldProperties.tsx';
import { designerMessages } from './messages.ts';

export function SubformColumns({ field, onChange }: { field: DesignField; onChange(columns: DesignField[]): void }) {
  const t = useMessages(designerMessages);
  const { locale } = useLocale();
  const columns = field.columns ?? [];
  const [selected, setSelected] = useState<number>(0);
  const [type, setType] = useState<FieldType>('text');
  const current = columns[selected];

  return (
    <Card size="small" title={t('columns')} data-testid="subform-columns" style={{ marginBottom: 12 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        {columns.map((column, index) => (
          <Tag.CheckableTag key={index} checked={index === selected} onChange={() => setSelected(index)} data-testid={`column-${column.key}`}>
            {column.label[locale] || column.label['zh-CN'] || column.key}
            {column.required ? ' *' : ''}
          </Tag.CheckableTag>
        ))}
      </Space>
      <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
        <Select style={{ width: '60%' }} value={type} data-testid="column-type" options={COLUMN_TYPES.map((c) => ({ value: c, label: paletteLabel(c)[locale] }))} onChange={setType} />
        <Button
          icon={<PlusOutlined />}
          data-testid="column-add"
          onClick={() => {
            onChange([...columns, createField(type, columns.map((c) => c.key))]);
            setSelected(columns.length);
          }}
        >
          {t('addColumn')}
        </Button>
      </Space.Compact>
      {current && (
        <>
          <FieldProperties nested field={current} fields={columns} onChange={(next) => onChange(columns.map((c, i) => (i === selected ? next : c)))} />
          <Button
            danger
            size="small"
            icon={<DeleteOutlined />}
            disabled={columns.length <= 1}
            data-testid={`column-remove-${current.key}`}
            onClick={() => {
              onChange(columns.filter((_, i) => i !== selected));
              setSelected(Math.max(0, selected - 1));
            }}
          >
            {t('remove')}
          </Button>
        </>
      )}
    </Card>
  );
}
