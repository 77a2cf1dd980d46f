/**
 * The middle pane: the fields in order, each drawn with its real widget (FieldPreview: the
 * renderer a filled form uses, disabled). Click selects; drag a field to reorder (or use the
 * arrows); drop a palette entry to insert it where it falls.
 */
import { useState } from 'react';
import { Button, Empty, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { LAYOUT_TYPES, paletteLabel, type DesignField, type FieldType } from '../model/fieldTypes.ts';
import { FieldPreview } from './FieldPreview.tsx';
import { designerMessages } from './messages.ts';
import { PALETTE_MIME } from './Palette.tsx';

const MOVE_MIME = 'application/x-liuzhuan-move';

interface Props {
  fields: DesignField[];
  selected: string | null;
  problems: Set<string>;
  onSelect(key: string): void;
  onMove(from: number, to: number): void;
  onRemove(index: number): void;
  onInsert(type: FieldType, at: number): void;
}

export function Canvas(props: Props) {
  const t = useMessages(designerMessages);
  const { locale } = useLocale();
  const [over, setOver] = useState<number | null>(null);

  const drop = (e: React.DragEvent, at: number) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(null);
    const type = e.dataTransfer.getData(PALETTE_MIME);
    const from = e.dataTransfer.getData(MOVE_MIME);
    if (type) props.onInsert(type as FieldType, at);
    else if (from !== '') props.onMove(Number(from), at > Number(from) ? at - 1 : at);
  };
  const allowDrop = (e: React.DragEvent, at: number) => {
    e.preventDefault();
    setOver(at);
  };

  return (
    <div
      className="lz-canvas"
      data-testid="canvas"
      onDragOver={(e) => allowDrop(e, props.fields.length)}
      onDragLeave={() => setOver(null)}
      onDrop={(e) => drop(e, props.fields.length)}
      style={{ minHeight: 420 }}
    >
      {props.fields.length === 0 && <Empty description={t('emptyCanvas')} style={{ paddingTop: 80 }} />}
      {props.fields.map((field, index) => {
        const selected = field.key === props.selected;
        const layout = LAYOUT_TYPES.includes(field.type);
        const label = field.label[locale] || field.label['zh-CN'];
        return (
          <div
            key={field.key}
            data-testid={`canvas-field-${field.key}`}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(MOVE_MIME, String(index));
              e.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(e) => {
              e.stopPropagation();
              allowDrop(e, index);
            }}
            onDrop={(e) => drop(e, index)}
            onClick={() => props.onSelect(field.key)}
            className={`lz-canvas-field${selected ? ' is-selected' : ''}`}
            style={{
              borderTop: over === index ? '2px solid #1677ff' : undefined,
              outline: selected ? '2px solid #1677ff' : props.problems.has(field.key) ? '1px solid #ff4d4f' : '1px solid transparent',
              background: selected ? '#f0f7ff' : '#fff',
              borderRadius: 6,
              padding: '10px 12px',
              marginBottom: 8,
              cursor: 'pointer',
            }}
          >
            <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
              <div style={{ flex: 1, minWidth: 0 }}>
                {layout ? (
                  field.type === 'divider' ? (
                    <div style={{ borderTop: '1px solid #d9d9d9', paddingTop: 4, color: '#8c8c8c' }}>{label || paletteLabel('divider')[locale]}</div>
                  ) : (
                    <Typography.Text type="secondary">{label}</Typography.Text>
                  )
                ) : (
                  <>
                    {/* The label and its required mark are the widget's own (FieldPreview); here what only the designer needs. */}
                    <Space size={6}>
                      <Tag>{paletteLabel(field.type)[locale]}</Tag>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {field.key}
                      </Typography.Text>
                      {field.visibleWhen && <Tag color="purple">{t('visibility')}</Tag>}
                    </Space>
                    <FieldPreview field={field} />
                  </>
                )}
              </div>
              {selected && (
                <Space size={2} onClick={(e) => e.stopPropagation()}>
                  <Tooltip title={t('moveUp')}>
                    <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => props.onMove(index, index - 1)} data-testid={`field-up-${field.key}`} />
                  </Tooltip>
                  <Tooltip title={t('moveDown')}>
                    <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === props.fields.length - 1} onClick={() => props.onMove(index, index + 1)} data-testid={`field-down-${field.key}`} />
                  </Tooltip>
                  <Tooltip title={t('remove')}>
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => props.onRemove(index)} data-testid={`field-delete-${field.key}`} />
                  </Tooltip>
                </Space>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
