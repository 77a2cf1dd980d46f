/** The notification centre's page (/notifications); the bell itself sits in the shell's header. */
import type { Feature } from '../app/feature.ts';
import { NotificationsPage } from './NotificationsPage.tsx';

export const notificationsFeature: Feature = {
  name: 'notifications',
  routes: [{ path: '/notifications', element: <NotificationsPage /> }],
  menu: [],
};
