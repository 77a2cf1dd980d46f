/**
 * Step 2 of an import: which field each column of the file goes to (pre-filled by the server
 * from the labels), and the first rows under that mapping with the problems each would have.
 */
import { Select, Space, Table, Tag, Typography } from 'antd';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import type { ImportJob } from './api.ts';
import { importMessages } from './i18n.ts';

type PreviewRow = ImportJob['preview'][number];

export function MappingStep({ job, onMapping }: { job: ImportJob; onMapping: (mapping: (string | null)[]) => void }) {
  const t = useMessages(importMessages);
  const { locale } = useLocale();
  const title = (name: string) => {
    const field = job.fields.find((f) => f.name === name);
    return field ? pickText(field.title, locale, name) : name;
  };
  const options = [
    { value: '', label: t('skip') },
    ...job.fields.map((f) => ({ value: f.name, label: `${pickText(f.title, locale, f.name)}${f.required ? ` (${t('required')})` : ''}` })),
  ];
  const change = (column: number, field: string) => {
    const next = job.mapping.map((current, i) => (i === column ? field || null : current === field && field ? null : current));
    onMapping(next);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Table
        size="small"
        pagination={false}
        rowKey="column"
        data-testid="import-mapping"
        dataSource={job.headers.map((header, column) => ({ header, column }))}
        columns={[
          { title: t('column'), dataIndex: 'header', key: 'header' },
          {
            title: t('field'),
            key: 'field',
            render: (_: unknown, row: { column: number }) => (
              <Select
                style={{ minWidth: 220 }}
                value={job.mapping[row.column] ?? ''}
                options={options}
                onChange={(value: string) => change(row.column, value)}
                data-testid={`import-map-${row.column}`}
              />
            ),
          },
        ]}
      />
      <Typography.Text strong>{t('preview', { count: job.preview.length })}</Typography.Text>
      <Table<PreviewRow>
        size="small"
        pagination={false}
        rowKey="rowNumber"
        scroll={{ x: true }}
        data-testid="import-preview"
        dataSource={job.preview}
        columns={[
          { title: t('row'), dataIndex: 'rowNumber', key: 'row', width: 60 },
          ...job.headers.map((header, column) => ({
            title: job.mapping[column] ? `${header} → ${title(job.mapping[column]!)}` : header,
            key: `c${column}`,
            render: (_: unknown, row: PreviewRow) => (row.cells[column] === null || row.cells[column] === undefined ? '' : String(row.cells[column])),
          })),
          {
            title: t('errors'),
            key: 'errors',
            render: (_: unknown, row: PreviewRow) =>
              row.errors.length === 0 ? (
                <Tag color="green">{t('ok')}</Tag>
              ) : (
                <Space direction="vertical" size={2} data-testid={`import-errors-${row.rowNumber}`}>
                  {row.errors.map((e, i) => (
                    <Tag color="red" key={i}>
                      {e.column !== null ? `${job.headers[e.column]}: ` : e.field ? `${title(e.field)}: ` : ''}
                      {e.message}
                    </Tag>
                  ))}
                </Space>
              ),
          },
        ]}
      />
    </Space>
  );
}
