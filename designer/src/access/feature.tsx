/**
 * 数据权限 and 角色 (admins): a form's permission groups at `/forms/:key/access` (reached from the
 * form list and the form designer), and the roles page under 管理.
 */
import { IdcardOutlined } from '@ant-design/icons';
import type { Feature } from '../app/feature.ts';
import { isAdmin } from '../app/feature.ts';
import { FormAccessPage } from './FormAccessPage.tsx';
import { RolesPage } from './RolesPage.tsx';

const ADMIN_GROUP = { 'zh-CN': '管理', en: 'Admin' };

export const accessFeature: Feature = {
  name: 'access',
  routes: [
    { path: '/forms/:key/access', element: <FormAccessPage /> },
    { path: '/admin/roles', element: <RolesPage /> },
  ],
  menu: [{ path: '/admin/roles', label: { 'zh-CN': '角色', en: 'Roles' }, group: ADMIN_GROUP, icon: <IdcardOutlined />, visible: isAdmin }],
};
