/** Process variables as a read-only list, for instances and tasks without a bound form. */
import { Descriptions, Empty, Typography } from 'antd';

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function VariablesView({ variables }: { variables: Record<string, unknown> }) {
  const entries = Object.entries(variables);
  if (entries.length === 0) return <Empty />;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      data-testid="instance-variables"
      items={entries.map(([name, value]) => ({
        key: name,
        label: <Typography.Text code>{name}</Typography.Text>,
        children: <span style={{ wordBreak: 'break-word' }}>{show(value)}</span>,
      }))}
    />
  );
}
