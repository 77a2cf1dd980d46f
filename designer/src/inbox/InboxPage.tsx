/**
 * 工作台: the four boxes as tabs with their live counts. Any task, CC or instance event
 * refreshes the counts and the open list, so new work shows up without reloading.
 */
import { Badge, Tabs, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useUser } from '../auth/session.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import { BOXES, refreshCounts, useInboxCounts, type Box } from './counts.ts';
import { InboxList } from './InboxList.tsx';

const messages = {
  zh: { title: '工作台', todo: '待办', done: '已办', started: '我发起的', cc: '抄送我的' },
  en: { title: 'Inbox', todo: 'To do', done: 'Done', started: 'Started by me', cc: 'CC to me' },
};

/** Re-renders the list after a burst of events settles, rather than once per event. */
function useDebouncedTick(delay = 250): [number, () => void] {
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return [
    tick,
    () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => setTick((n) => n + 1), delay);
    },
  ];
}

export function InboxPage() {
  const t = useMessages(messages);
  const user = useUser();
  const counts = useInboxCounts(user.username);
  const [params, setParams] = useSearchParams();
  const box = (BOXES as string[]).includes(params.get('box') ?? '') ? (params.get('box') as Box) : 'todo';
  const [tick, bump] = useDebouncedTick();

  const changed = () => {
    void refreshCounts();
    bump();
  };
  useRealtime('task.assigned', changed);
  useRealtime('task.updated', changed);
  useRealtime('cc.created', changed);
  useRealtime('instance.updated', changed);
  // Coming back to the page: the numbers may have moved while we were away.
  useEffect(() => void refreshCounts(), []);

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <Tabs
        activeKey={box}
        onChange={(key) => setParams({ box: key }, { replace: true })}
        destroyOnHidden
        items={BOXES.map((key) => ({
          key,
          label: (
            <span data-testid={`inbox-tab-${key}`}>
              {t(key)}{' '}
              <Badge
                count={counts?.[key] ?? 0}
                showZero
                size="small"
                color={(key === 'todo' || key === 'cc') && counts?.[key] ? (key === 'cc' ? 'gold' : undefined) : '#bfbfbf'}
                data-testid={`inbox-count-${key}`}
              />
            </span>
          ),
          children: <InboxList box={key} refreshKey={tick} />,
        }))}
      />
    </div>
  );
}
