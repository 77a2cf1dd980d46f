/**
 * 打印: opens the record's printable page (server/routes/printing.ts) in a new tab. With one
 * print template or none it is one button (the template, else the built-in layout); with
 * several, a picker lists them and the built-in layout.
 */
import { Button, Dropdown } from 'antd';
import { DownOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMessages } from '../../i18n/i18n.tsx';
import { formsApi, type RecordDetail } from '../api.ts';
import { recordMessages } from './i18n.ts';

export function PrintButton({ record }: { record: RecordDetail }) {
  const t = useMessages(recordMessages);
  const open = (template?: string) => window.open(formsApi.printUrl(record.formKey, record.id, template), '_blank', 'noopener');
  const templates = record.printTemplates;
  if (templates.length <= 1) {
    return (
      <Button icon={<PrinterOutlined />} onClick={() => open(templates[0]?.key)} data-testid="record-print">
        {t('print')}
      </Button>
    );
  }
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          ...templates.map((template) => ({ key: template.key, label: <span data-testid={`record-print-${template.key}`}>{template.title}</span> })),
          { type: 'divider' as const },
          { key: '', label: <span data-testid="record-print-default">{t('printDefault')}</span> },
        ],
        onClick: ({ key }) => open(key || undefined),
      }}
    >
      <Button icon={<PrinterOutlined />} data-testid="record-print">
        {t('print')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
