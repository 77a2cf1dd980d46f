/** The left pane: field types by group; click to add, or drag onto the canvas. */
import { Button, Typography } from 'antd';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { PALETTE, type FieldType } from '../model/fieldTypes.ts';
import { designerMessages } from './messages.ts';

export const PALETTE_MIME = 'application/x-liuzhuan-field';

export function Palette({ onAdd }: { onAdd(type: FieldType): void }) {
  const t = useMessages(designerMessages);
  const { locale } = useLocale();
  return (
    <div className="lz-palette" data-testid="palette">
      {(['basic', 'advanced', 'layout'] as const).map((group) => (
        <div key={group} style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t(group)}</Typography.Text>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6, marginTop: 6 }}>
            {PALETTE.filter((p) => p.group === group).map((entry) => (
              <Button
                key={entry.type}
                size="small"
                draggable
                data-testid={`palette-${entry.type}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(PALETTE_MIME, entry.type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => onAdd(entry.type)}
              >
                {entry.label[locale] || entry.label['zh-CN']}
              </Button>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
