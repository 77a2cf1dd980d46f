/**
 * Step 2 of an import: which field each column of the file goes to (pre-filled by the server
 * from the labels), and the first rows under that mapping with the problems each would have.
 * An .xlsx's extra sheets are shown with the sub-form each joins and by which column (the
 * server's guess from sheet names and shared headers); a CSV on a form with sub-forms gets
 * the server's notice that it cannot bring sub-form rows.
 */
import { Alert, Select, Space, Table, Tag, Typography } from 'antd';
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

  const subformTitle = (name: string) => {
    const subform = job.subforms.find((s) => s.name === name);
    return subform ? pickText(subform.title, locale, name) : name;
  };
  const keyHeader = job.keyColumn !== null ? job.headers[job.keyColumn] : null;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {job.notice ? <Alert type="info" showIcon message={job.notice} data-testid="import-notice" /> : null}
      {job.sheets.length ? (
        <Space direction="vertical" size={2} data-testid="import-sheets">
          {job.sheets.map((sheet) => (
            <Typography.Text key={sheet.name} type={sheet.subform ? undefined : 'secondary'}>
              {sheet.subform && sheet.keyColumn !== null
                ? t('sheetJoined', { sheet: sheet.name, subform: subformTitle(sheet.subform), key: keyHeader ?? '', column: sheet.headers[sheet.keyColumn] ?? '', count: sheet.totalRows })
                : t('sheetSkipped', { sheet: sheet.name })}
            </Typography.Text>
          ))}
        </Space>
      ) : null}
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
          ...(job.keyColumn !== null
            ? [{ title: t('subRows'), key: 'subRows', width: 90, render: (_: unknown, row: PreviewRow) => row.subRows ?? 0 }]
            : []),
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
                      {e.sheet ? `${t('sheetRow', { sheet: e.sheet, row: e.row ?? '' })} · ` : ''}
                      {e.sheet
                        ? `${(e.column !== null ? job.sheets.find((s) => s.name === e.sheet)?.headers[e.column] : null) ?? subformTitle(e.field ?? '')}: `
                        : e.column !== null ? `${job.headers[e.column]}: ` : e.field ? `${title(e.field)}: ` : ''}
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
