/** 部门队列: routed tickets of the user's departments (only for users in a department). */
import { TeamOutlined } from '@ant-design/icons';
import type { Feature } from '../app/feature.ts';
import { QueuePage } from './QueuePage.tsx';

export const queueFeature: Feature = {
  name: 'queue',
  routes: [{ path: '/queue', element: <QueuePage /> }],
  menu: [
    {
      path: '/queue',
      label: { 'zh-CN': '部门队列', en: 'Queue' },
      icon: <TeamOutlined />,
      visible: (user) => user.departmentIds.length > 0,
    },
  ],
};
