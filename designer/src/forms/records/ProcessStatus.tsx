/** A flow record's process in one line: its status tag, the node it waits at, and a link to the instance. */
import { Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useMessages } from '../../i18n/i18n.tsx';
import { StatusTag } from '../../instances/StatusTag.tsx';
import type { RecordEntry } from '../api.ts';
import { recordMessages } from './i18n.ts';

export function ProcessStatus({ process, testid }: { process: RecordEntry['process']; testid?: string }) {
  const t = useMessages(recordMessages);
  if (!process) return <Typography.Text type="secondary">{t('noProcess')}</Typography.Text>;
  const nodes = process.currentNodes.map((node) => node.name || node.id).join('、');
  return (
    <Space size={4} wrap data-testid={testid} data-status={process.status}>
      <StatusTag status={process.status} />
      {nodes ? <Typography.Text type="secondary">{t('atNode', { nodes })}</Typography.Text> : null}
      {process.status !== 'deleted' ? (
        // A link inside a clickable row: keep the row from also opening the record.
        <Link to={`/instances/${process.instanceId}`} onClick={(event) => event.stopPropagation()} data-testid={testid && `${testid}-link`}>
          {t('openInstance')}
        </Link>
      ) : null}
    </Space>
  );
}
