/**
 * 管理 (admin only): template apps, users, departments, auto-routing, process instances,
 * incidents, automations, message and print templates. Each page is its own file here.
 */
import {
  ApartmentOutlined,
  AppstoreOutlined,
  BranchesOutlined,
  FileTextOutlined,
  NodeIndexOutlined,
  RobotOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import type { Feature } from '../app/feature.ts';
import { isAdmin } from '../app/feature.ts';
import { AppsPage } from './AppsPage.tsx';
import { AutomationsPage } from './AutomationsPage.tsx';
import { DepartmentsPage } from './DepartmentsPage.tsx';
import { IncidentsPage } from './IncidentsPage.tsx';
import { InstancesPage } from './InstancesPage.tsx';
import { RoutingPage } from './RoutingPage.tsx';
import { TemplatesPage } from './TemplatesPage.tsx';
import { UsersPage } from './UsersPage.tsx';

const ADMIN_GROUP = { 'zh-CN': '管理', en: 'Admin' };

export const adminFeature: Feature = {
  name: 'admin',
  routes: [
    { path: '/admin', element: <AppsPage /> },
    { path: '/admin/apps', element: <AppsPage /> },
    { path: '/admin/users', element: <UsersPage /> },
    { path: '/admin/departments', element: <DepartmentsPage /> },
    { path: '/admin/routing', element: <RoutingPage /> },
    { path: '/admin/instances', element: <InstancesPage /> },
    { path: '/admin/incidents', element: <IncidentsPage /> },
    { path: '/admin/automations', element: <AutomationsPage /> },
    { path: '/admin/templates', element: <TemplatesPage /> },
  ],
  menu: [
    { path: '/admin/apps', label: { 'zh-CN': '应用', en: 'Apps' }, group: ADMIN_GROUP, icon: <AppstoreOutlined />, visible: isAdmin },
    { path: '/admin/users', label: { 'zh-CN': '用户', en: 'Users' }, group: ADMIN_GROUP, icon: <TeamOutlined />, visible: isAdmin },
    { path: '/admin/departments', label: { 'zh-CN': '部门', en: 'Departments' }, group: ADMIN_GROUP, icon: <ApartmentOutlined />, visible: isAdmin },
    { path: '/admin/routing', label: { 'zh-CN': '自动分派', en: 'Routing' }, group: ADMIN_GROUP, icon: <BranchesOutlined />, visible: isAdmin },
    { path: '/admin/instances', label: { 'zh-CN': '流程实例', en: 'Instances' }, group: ADMIN_GROUP, icon: <NodeIndexOutlined />, visible: isAdmin },
    { path: '/admin/incidents', label: { 'zh-CN': '异常', en: 'Incidents' }, group: ADMIN_GROUP, icon: <WarningOutlined />, visible: isAdmin },
    { path: '/admin/automations', label: { 'zh-CN': '智能助手', en: 'Automations' }, group: ADMIN_GROUP, icon: <RobotOutlined />, visible: isAdmin },
    { path: '/admin/templates', label: { 'zh-CN': '通知与打印模板', en: 'Templates' }, group: ADMIN_GROUP, icon: <FileTextOutlined />, visible: isAdmin },
  ],
};
