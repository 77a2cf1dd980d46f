/** The pivot widget: first dimension down, second across, the first measure in the cells; a cell drills into its records. */
import { Table, Typography } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { pivot, type ValueLabeler } from './chartOptions.ts';
import { messages } from './messages.ts';
import type { ChartResult, ResultRow, Widget } from './model.ts';

export function PivotTable({ widget, result, label, onDrill }: { widget: Widget; result: ChartResult; label: ValueLabeler; onDrill?: (row: ResultRow | null) => void }) {
  const t = useMessages(messages);
  const table = pivot(result, label);
  // Totals add up counts and sums; a sum of averages or percentiles means nothing.
  const agg = widget.query?.measures?.[0]?.agg ?? 'count';
  const additive = agg === 'count' || agg === 'sum';
  // The result row behind each cell, for drill-down.
  const rowAt = (r: number, c: number): ResultRow | undefined => {
    const [down, across] = result.columns.filter((column) => column.key.startsWith('d'));
    return result.rows.find((row) => (down ? label(down, row.d0 ?? null) === table.rowLabels[r] : true) && (across ? label(across, row.d1 ?? null) === table.columnLabels[c] : true));
  };
  const columns = [
    { key: 'label', title: '', dataIndex: 'label', fixed: 'left' as const },
    ...table.columnLabels.map((name, c) => ({
      key: `c${c}`,
      title: name,
      align: 'right' as const,
      render: (_: unknown, record: { r: number }) => {
        const value = table.cells[record.r]?.[c];
        if (value === null || value === undefined) return '';
        const row = rowAt(record.r, c);
        return onDrill && row ? <Typography.Link onClick={() => onDrill(row)}>{value}</Typography.Link> : value;
      },
    })),
    ...(additive && table.columnLabels.length > 1 ? [{ key: 'total', title: t('total'), align: 'right' as const, render: (_: unknown, record: { r: number }) => table.rowTotals[record.r] }] : []),
  ];
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="r"
      data-testid={`widget-pivot-${widget.id}`}
      columns={columns}
      dataSource={table.rowLabels.map((name, r) => ({ r, label: name }))}
      summary={
        additive
          ? () => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t('total')}</Table.Summary.Cell>
                {table.columnTotals.map((value, c) => (
                  <Table.Summary.Cell key={c} index={c + 1} align="right">
                    {value}
                  </Table.Summary.Cell>
                ))}
                {table.columnLabels.length > 1 && <Table.Summary.Cell index={table.columnLabels.length + 1} align="right">{table.rowTotals.reduce((a, b) => a + b, 0)}</Table.Summary.Cell>}
              </Table.Summary.Row>
            )
          : undefined
      }
    />
  );
}
