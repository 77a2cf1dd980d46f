/**
 * A grouped answer as a table (the 明细表 widget when it has dimensions, e.g. overdue payments
 * by customer): one column per dimension and measure, labels for select values, paged in the
 * browser; a row drills into the records behind it.
 */
import { Table, Typography } from 'antd';
import type { ValueLabeler } from './chartOptions.ts';
import { roundNumber } from './chartOptions.ts';
import type { ChartResult, ResultRow, Widget } from './model.ts';

export function ResultTable({ widget, result, label, onDrill }: { widget: Widget; result: ChartResult; label: ValueLabeler; onDrill?: (row: ResultRow) => void }) {
  const decimals = typeof widget.options?.decimals === 'number' ? widget.options.decimals : 2;
  const columns = result.columns.map((column, index) => ({
    key: column.key,
    title: column.label,
    align: column.type === 'number' ? ('right' as const) : undefined,
    render: (_: unknown, row: ResultRow) => {
      const value = row[column.key] ?? null;
      const text = column.key.startsWith('d') ? label(column, value) : typeof value === 'number' ? roundNumber(value, decimals).toLocaleString() : (value ?? '');
      return index === 0 && onDrill ? <Typography.Link onClick={() => onDrill(row)}>{text}</Typography.Link> : text;
    },
  }));
  return (
    <Table
      size="small"
      data-testid={`widget-table-${widget.id}`}
      rowKey={(row) => JSON.stringify(row)}
      columns={columns}
      dataSource={result.rows}
      pagination={result.rows.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
    />
  );
}
