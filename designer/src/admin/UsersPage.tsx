/** 用户: every account with its role, departments and state; create and edit in a dialog. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMessages } from '../i18n/i18n.tsx';
import { UserDialog } from './UserDialog.tsx';
import type { User } from '../api/types.ts';
import { errorText, useDepartmentName, useOrganisation, useTime } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';
import { accessApi } from '../access/api.ts';
import { useLocale } from '../i18n/i18n.tsx';

const messages = {
  zh: {
    title: '用户',
    create: '新建用户',
    reload: '刷新',
    username: '用户名',
    displayName: '显示名',
    email: '邮箱',
    role: '角色',
    admin: '管理员',
    staff: '员工',
    departments: '部门',
    roles: '业务角色',
    state: '状态',
    active: '启用',
    inactive: '已停用',
    createdAt: '创建时间',
    edit: '编辑',
    empty: '还没有用户',
    loadFailed: '加载用户失败',
  },
  en: {
    title: 'Users',
    create: 'New user',
    reload: 'Reload',
    username: 'Username',
    displayName: 'Display name',
    email: 'E-mail',
    role: 'Role',
    admin: 'Admin',
    staff: 'Staff',
    departments: 'Departments',
    roles: 'Roles',
    state: 'State',
    active: 'Active',
    inactive: 'Disabled',
    createdAt: 'Created',
    edit: 'Edit',
    empty: 'No users yet',
    loadFailed: 'Could not load the users',
  },
};

export function UsersPage() {
  const t = useMessages(messages);
  const time = useTime();
  const departmentName = useDepartmentName();
  const org = useOrganisation();
  const [dialog, setDialog] = useState<{ open: boolean; user: User | null }>({ open: false, user: null });
  const departments = org.data?.departments ?? [];
  const { locale } = useLocale();
  // The roles an admin edits (角色 page); the system roles admin/staff show in their own column.
  const roles = useLoad(() => accessApi.roles().catch(() => []), []);
  const roleName = (code: string) => {
    const role = roles.data?.find((r) => r.code === code);
    return role ? (locale === 'en' && role.nameEn) || role.name : code;
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-users">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void org.reload()} data-testid="users-reload">
            {t('reload')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ open: true, user: null })} data-testid="users-create">
            {t('create')}
          </Button>
        </Space>
      </Space>
      {org.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(org.error)} /> : null}
      <Table<User>
        rowKey="id"
        loading={org.loading}
        dataSource={org.data?.users ?? []}
        locale={{ emptyText: t('empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="users-table"
        onRow={(user) => ({ 'data-testid': `user-row-${user.username}` }) as object}
        columns={[
          { title: t('username'), dataIndex: 'username', render: (value: string) => <Typography.Text code>{value}</Typography.Text> },
          { title: t('displayName'), dataIndex: 'displayName' },
          { title: t('email'), dataIndex: 'email', render: (value: string | null) => value ?? '—' },
          {
            title: t('role'),
            dataIndex: 'role',
            render: (role: string) => (role === 'admin' ? <Tag color="gold">{t('admin')}</Tag> : <Tag>{t('staff')}</Tag>),
          },
          {
            title: t('departments'),
            render: (_, user) => user.departmentIds.map((id) => <Tag key={id}>{departmentName(departments.find((d) => d.id === id))}</Tag>),
          },
          {
            title: t('roles'),
            render: (_, user) =>
              ((user as User & { roles?: string[] }).roles ?? [])
                .filter((code) => code !== user.role)
                .map((code) => <Tag key={code} color="purple">{roleName(code)}</Tag>),
          },
          {
            title: t('state'),
            dataIndex: 'active',
            render: (active: boolean) => (active ? <Tag color="green">{t('active')}</Tag> : <Tag color="red">{t('inactive')}</Tag>),
          },
          { title: t('createdAt'), dataIndex: 'createdAt', render: (value: string) => time(value) },
          {
            title: '',
            width: 80,
            render: (_, user) => (
              <Button size="small" onClick={() => setDialog({ open: true, user })} data-testid={`user-edit-${user.username}`}>
                {t('edit')}
              </Button>
            ),
          },
        ]}
      />
      <UserDialog
        open={dialog.open}
        user={dialog.user}
        departments={departments}
        roles={roles.data ?? []}
        onClose={(saved) => {
          setDialog({ open: false, user: null });
          if (saved) void org.reload();
        }}
      />
    </Space>
  );
}
