/** 审计日志 and 个人信息 (admins, under 管理): the audit log and a data subject's export and erasure. */
import { AuditOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Feature } from '../app/feature.ts';
import { isAdmin } from '../app/feature.ts';
import { AuditLogPage } from './AuditLogPage.tsx';
import { DataSubjectPage } from './DataSubjectPage.tsx';

const ADMIN_GROUP = { 'zh-CN': '管理', en: 'Admin' };

export const privacyFeature: Feature = {
  name: 'privacy',
  routes: [
    { path: '/admin/audit', element: <AuditLogPage /> },
    { path: '/admin/privacy', element: <DataSubjectPage /> },
  ],
  menu: [
    { path: '/admin/audit', label: { 'zh-CN': '审计日志', en: 'Audit log' }, group: ADMIN_GROUP, icon: <AuditOutlined />, visible: isAdmin },
    { path: '/admin/privacy', label: { 'zh-CN': '个人信息', en: 'Personal data' }, group: ADMIN_GROUP, icon: <SafetyCertificateOutlined />, visible: isAdmin },
  ],
};
