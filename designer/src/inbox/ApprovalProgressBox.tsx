/** "2/3 已同意" for a multi-signer approval node, with who has signed and who is pending. */
import { Alert, Space, Tag, Typography } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { useDisplayName } from '../instances/data.ts';
import type { ApprovalProgress } from '../api/types.ts';

const messages = {
  zh: {
    progress: '{approved}/{total} 已同意',
    rejected: '{count} 人拒绝',
    pending: '待审批：',
    none: '无',
    single: '单人审批',
    all: '会签（全部同意）',
    any: '或签（一人同意即可）',
    sequential: '依次审批',
    approve: '同意',
    reject: '拒绝',
  },
  en: {
    progress: '{approved}/{total} approved',
    rejected: '{count} rejected',
    pending: 'Waiting for: ',
    none: 'nobody',
    single: 'Single approver',
    all: 'All must approve',
    any: 'Any one approves',
    sequential: 'One after another',
    approve: 'approved',
    reject: 'rejected',
  },
};

export function ApprovalProgressBox({ approval }: { approval: ApprovalProgress }) {
  const t = useMessages(messages);
  const name = useDisplayName();
  const mode = approval.mode in messages.zh ? t(approval.mode as 'all') : approval.mode;
  return (
    <Alert
      type="info"
      showIcon
      data-testid="approval-progress"
      title={
        <Space wrap>
          <Typography.Text strong data-testid="approval-count">
            {t('progress', { approved: approval.approved, total: approval.total })}
          </Typography.Text>
          {approval.rejected ? <Tag color="red">{t('rejected', { count: approval.rejected })}</Tag> : null}
          <Tag>{mode}</Tag>
        </Space>
      }
      description={
        <Space orientation="vertical" size={2}>
          <span data-testid="approval-pending">
            {t('pending')}
            {approval.pending.length ? approval.pending.map(name).join('、') : t('none')}
          </span>
          {approval.decided.length ? (
            <Space wrap size={4}>
              {approval.decided.map((entry) => (
                <Tag key={`${entry.username}-${entry.at}`} color={entry.decision === 'approve' ? 'green' : 'red'}>
                  {name(entry.username)} {t(entry.decision)}
                </Tag>
              ))}
            </Space>
          ) : null}
        </Space>
      }
    />
  );
}
