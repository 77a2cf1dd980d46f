/** Webhooks (admins, under 管理): outgoing subscriptions with their delivery log, incoming hooks. */
import { ApiOutlined } from '@ant-design/icons';
import type { Feature } from '../app/feature.ts';
import { isAdmin } from '../app/feature.ts';
import { WebhooksPage } from './WebhooksPage.tsx';

const ADMIN_GROUP = { 'zh-CN': '管理', en: 'Admin' };

export const webhooksFeature: Feature = {
  name: 'webhooks',
  routes: [{ path: '/admin/webhooks', element: <WebhooksPage /> }],
  menu: [{ path: '/admin/webhooks', label: { 'zh-CN': 'Webhook', en: 'Webhooks' }, group: ADMIN_GROUP, icon: <ApiOutlined />, visible: isAdmin }],
};
