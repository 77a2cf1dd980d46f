/** An instance's status as a coloured tag (active / completed / terminated / incident; withdrawn and deleted as the record pages say). */
import { Tag } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';

const messages = {
  zh: { active: '进行中', completed: '已完成', terminated: '已终止', incident: '异常', withdrawn: '已撤回', deleted: '已删除' },
  en: { active: 'In progress', completed: 'Completed', terminated: 'Terminated', incident: 'Incident', withdrawn: 'Withdrawn', deleted: 'Deleted' },
};
const COLORS: Record<string, string> = { active: 'processing', completed: 'success', terminated: 'default', incident: 'error', withdrawn: 'default', deleted: 'default' };

export function StatusTag({ status, testid }: { status: string; testid?: string }) {
  const t = useMessages(messages);
  const label = status in messages.zh ? t(status as keyof typeof messages.zh) : status;
  return (
    <Tag color={COLORS[status] ?? 'default'} data-testid={testid} data-status={status}>
      {label}
    </Tag>
  );
}
