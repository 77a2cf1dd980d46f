/** An instance's status as a coloured tag (active / completed / terminated / incident). */
import { Tag } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';

const messages = {
  zh: { active: '进行中', completed: '已完成', terminated: '已终止', incident: '异常', withdrawn: '已撤回' },
  en: { active: 'In progress', completed: 'Completed', terminated: 'Terminated', incident: 'Incident', withdrawn: 'Withdrawn' },
};
const COLORS: Record<string, string> = { active: 'processing', completed: 'success', terminated: 'default', incident: 'error', withdrawn: 'default' };

export function StatusTag({ status, testid }: { status: string; testid?: string }) {
  const t = useMessages(messages);
  const label = status in messages.zh ? t(status as keyof typeof messages.zh) : status;
  return (
    <Tag color={COLORS[status] ?? 'default'} data-testid={testid} data-status={status}>
      {label}
    </Tag>
  );
}
