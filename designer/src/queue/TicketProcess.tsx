/**
 * Where a ticket's process is: the node it is at (the node assigned to the routed department)
 * or where it ended, and a link — to the task for the one who holds it, to the instance for
 * everyone else. The ticket and the task are one thing (engine/routing/taskLink.ts).
 */
import { Flex, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useUser } from '../auth/session.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import type { Ticket } from './TicketCard.tsx';

const messages = {
  zh: {
    at: '当前节点：{node}',
    endedAt: '已办结：{node}',
    waiting: '流程进行中，尚未到达本部门节点',
    openTask: '去处理',
    openInstance: '查看流程',
  },
  en: {
    at: 'At: {node}',
    endedAt: 'Done: {node}',
    waiting: 'In process, not at this department yet',
    openTask: 'Open task',
    openInstance: 'View process',
  },
};

export function TicketProcess({ ticket }: { ticket: Ticket }) {
  const t = useMessages(messages);
  const user = useUser();
  if (!ticket.instanceId) return null;
  const node = ticket.stageName ?? ticket.elementId;
  const stage =
    ticket.taskId && node ? (
      <Tag color="processing" data-testid={`queue-stage-${ticket.id}`}>{t('at', { node })}</Tag>
    ) : ticket.status === 'closed' && node ? (
      <Tag color="success" data-testid={`queue-stage-${ticket.id}`}>{t('endedAt', { node })}</Tag>
    ) : ticket.followsProcess && ticket.status !== 'closed' ? (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('waiting')}</Typography.Text>
    ) : null;
  const holdsTask = ticket.taskId && ticket.claimedBy === user.username;
  return (
    <Flex gap={8} align="center" wrap>
      {stage}
      {holdsTask ? (
        <Link to={`/tasks/${ticket.taskId}`} data-testid={`queue-task-${ticket.id}`}>
          {t('openTask')}
        </Link>
      ) : (
        <Link to={`/instances/${ticket.instanceId}`} data-testid={`queue-instance-${ticket.id}`}>
          {t('openInstance')}
        </Link>
      )}
    </Flex>
  );
}
