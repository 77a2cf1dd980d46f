/**
 * The staff workspace: 工作台 (inbox boxes), the task page, 发起 (start a flow form) and the
 * instance view. The start and instance pages live in start/ and instances/ and are
 * registered here.
 */
import { InboxOutlined, PlusCircleOutlined } from '@ant-design/icons';
import type { Feature } from '../app/feature.ts';
import { InstancePage } from '../instances/InstancePage.tsx';
import { StartFormPage } from '../start/StartFormPage.tsx';
import { StartPage } from '../start/StartPage.tsx';
import { InboxBadge } from './InboxBadge.tsx';
import { InboxPage } from './InboxPage.tsx';
import { TaskPage } from './TaskPage.tsx';

export const inboxFeature: Feature = {
  name: 'inbox',
  routes: [
    { path: '/inbox', element: <InboxPage /> },
    { path: '/tasks/:id', element: <TaskPage /> },
    { path: '/start', element: <StartPage /> },
    { path: '/start/:formKey', element: <StartFormPage /> },
    { path: '/instances/:id', element: <InstancePage /> },
  ],
  menu: [
    { path: '/inbox', label: { 'zh-CN': '工作台', en: 'Inbox' }, icon: <InboxOutlined />, badge: () => <InboxBadge /> },
    { path: '/start', label: { 'zh-CN': '发起', en: 'Start' }, icon: <PlusCircleOutlined /> },
  ],
};
