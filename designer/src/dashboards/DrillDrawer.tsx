/** 查看明细: the records behind a number or a bar, in a drawer, paged. */
import { Drawer, Space, Tag } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { DetailTable } from './DetailTable.tsx';
import { messages } from './messages.ts';
import type { ChartSource, QueryFilter } from './model.ts';

export interface Drill {
  title: string;
  /** What the clicked point narrows to (e.g. 类别 = 账单), shown as tags. */
  chips: string[];
  source: ChartSource;
  filters: QueryFilter[];
}

export function DrillDrawer({ drill, onClose }: { drill: Drill | null; onClose: () => void }) {
  const t = useMessages(messages);
  return (
    <Drawer open={drill !== null} onClose={onClose} size="large" title={drill ? t('details', { title: drill.title }) : ''} destroyOnHidden data-testid="drill-drawer">
      {drill && (
        <div data-testid="drill-content">
          {drill.chips.length > 0 && (
            <Space wrap style={{ marginBottom: 8 }}>
              {drill.chips.map((chip) => (
                <Tag key={chip} color="blue">
                  {chip}
                </Tag>
              ))}
            </Space>
          )}
          <DetailTable source={drill.source} filters={drill.filters} />
        </div>
      )}
    </Drawer>
  );
}
