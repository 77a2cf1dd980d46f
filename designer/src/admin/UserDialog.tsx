/**
 * Create or edit a user (POST /api/users, PATCH /api/users/:id). A 422's details show beside
 * their fields; a taken username (409) beside the username; the last admin (409) as a toast.
 */
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { useMessages } from '../i18n/i18n.tsx';
import type { Department, User } from '../api/types.ts';
import type { Role } from '../access/api.ts';
import { detailsByPointer, errorText, fieldError, useDepartmentName, withoutChanged } from './shared.tsx';

const messages = {
  zh: {
    create: '新建用户',
    edit: '编辑用户',
    username: '用户名',
    usernameHelp: '小写字母、数字、点、下划线或连字符，创建后不能修改',
    displayName: '显示名',
    email: '邮箱',
    password: '密码',
    newPassword: '重置密码',
    newPasswordHelp: '留空则不修改；修改后该用户需要重新登录',
    role: '角色',
    admin: '管理员',
    staff: '员工',
    departments: '部门',
    roles: '业务角色',
    rolesHelp: '用于权限组成员和审批人规则（在「角色」页维护）',
    active: '启用',
    locale: '语言',
    required: '必填',
    minPassword: '至少 8 个字符',
    created: '已创建用户 {name}',
    saved: '已保存',
    failed: '保存失败：{reason}',
    taken: '用户名已存在',
    ok: '保存',
    cancel: '取消',
  },
  en: {
    create: 'New user',
    edit: 'Edit user',
    username: 'Username',
    usernameHelp: 'Lower-case letters, digits, dot, underscore or hyphen; cannot change later',
    displayName: 'Display name',
    email: 'E-mail',
    password: 'Password',
    newPassword: 'Reset password',
    newPasswordHelp: 'Leave empty to keep it; the user must sign in again after a change',
    role: 'Role',
    admin: 'Admin',
    staff: 'Staff',
    departments: 'Departments',
    roles: 'Roles',
    rolesHelp: 'Used by permission groups and approver rules (kept on the Roles page)',
    active: 'Active',
    locale: 'Language',
    required: 'Required',
    minPassword: 'At least 8 characters',
    created: 'Created user {name}',
    saved: 'Saved',
    failed: 'Could not save: {reason}',
    taken: 'This username is taken',
    ok: 'Save',
    cancel: 'Cancel',
  },
};

interface Values {
  username?: string;
  displayName: string;
  email?: string;
  password?: string;
  role: string;
  locale: string;
  departmentIds: string[];
  roles: string[];
  active: boolean;
}

export function UserDialog(props: { open: boolean; user: User | null; departments: Department[]; roles?: Role[]; onClose(saved: boolean): void }) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const departmentName = useDepartmentName();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const editing = props.user !== null;
  // The system roles are chosen by 角色 above; these are the admin-kept ones.
  const selectableRoles = (props.roles ?? []).filter((role) => role.code !== 'admin' && role.code !== 'staff');

  useEffect(() => {
    if (!props.open) return;
    setErrors({});
    form.resetFields();
    form.setFieldsValue(
      props.user
        ? { ...props.user, email: props.user.email ?? '', password: '', roles: businessRoles(props.user) }
        : { role: 'staff', locale: 'zh-CN', departmentIds: [], roles: [], active: true, email: '', password: '' },
    );
  }, [props.open, props.user, form]);

  const submit = async () => {
    const values = await form.validateFields();
    const body: Record<string, unknown> = {
      displayName: values.displayName,
      email: values.email ? values.email : null,
      role: values.role,
      locale: values.locale,
      departmentIds: values.departmentIds ?? [],
    };
    // Only a server that knows roles gets them (the select is shown only then).
    if (selectableRoles.length) body.roles = values.roles ?? [];
    if (values.password) body.password = values.password;
    setSaving(true);
    setErrors({});
    try {
      if (props.user) {
        await api.patch(`/users/${props.user.id}`, { ...body, active: values.active });
        message.success(t('saved'));
      } else {
        await api.post('/users', { ...body, username: values.username });
        message.success(t('created', { name: values.displayName }));
      }
      props.onClose(true);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'user_exists') setErrors({ '/username': t('taken') });
      else setErrors(detailsByPointer(error));
      message.error(t('failed', { reason: errorText(error) }));
    } finally {
      setSaving(false);
    }
  };

  // Server messages override the field's own help until the next save.
  const field = (name: keyof Values) =>
    fieldError(errors[`/${name}`], `user-error-${name}`);
  const departmentError = Object.entries(errors).find(([pointer]) => pointer.startsWith('/departmentIds'))?.[1];

  return (
    <Modal
      open={props.open}
      title={editing ? t('edit') : t('create')}
      okText={t('ok')}
      cancelText={t('cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={() => props.onClose(false)}
      okButtonProps={{ 'data-testid': 'user-dialog-save' }}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed) => setErrors((current) => withoutChanged(current, changed))}
        data-testid="user-dialog"
      >
        {!editing ? (
          <Form.Item name="username" label={t('username')} extra={t('usernameHelp')} rules={[{ required: true, message: t('required') }]} {...field('username')}>
            <Input data-testid="user-username" autoComplete="off" />
          </Form.Item>
        ) : null}
        <Form.Item name="displayName" label={t('displayName')} rules={[{ required: true, message: t('required') }]} {...field('displayName')}>
          <Input data-testid="user-displayName" />
        </Form.Item>
        <Form.Item name="email" label={t('email')} {...field('email')}>
          <Input data-testid="user-email" />
        </Form.Item>
        <Form.Item
          name="password"
          label={editing ? t('newPassword') : t('password')}
          extra={editing ? t('newPasswordHelp') : undefined}
          rules={[{ required: !editing, message: t('required') }, { min: 8, message: t('minPassword') }]}
          {...field('password')}
        >
          <Input.Password data-testid="user-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('role')} {...field('role')}>
          <Select
            data-testid="user-role"
            options={[
              { value: 'staff', label: t('staff') },
              { value: 'admin', label: t('admin') },
            ]}
          />
        </Form.Item>
        <Form.Item name="locale" label={t('locale')}>
          <Select options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} data-testid="user-locale" />
        </Form.Item>
        <Form.Item
          name="departmentIds"
          label={t('departments')}
          {...fieldError(departmentError, 'user-error-departmentIds')}
        >
          <Select
            mode="multiple"
            data-testid="user-departments"
            optionFilterProp="label"
            options={props.departments.map((d) => ({ value: d.id, label: departmentName(d) }))}
          />
        </Form.Item>
        {selectableRoles.length ? (
          <Form.Item name="roles" label={t('roles')} extra={t('rolesHelp')} {...fieldError(Object.entries(errors).find(([pointer]) => pointer.startsWith('/roles'))?.[1], 'user-error-roles')}>
            <Select mode="multiple" data-testid="user-roles" optionFilterProp="label" options={selectableRoles.map((role) => ({ value: role.code, label: role.name }))} />
          </Form.Item>
        ) : null}
        {editing ? (
          <Form.Item name="active" label={t('active')} valuePropName="checked">
            <Switch data-testid="user-active" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** The user's admin-kept roles (without the system role, which has its own select). */
function businessRoles(user: User): string[] {
  return ((user as User & { roles?: string[] }).roles ?? []).filter((code) => code !== 'admin' && code !== 'staff');
}
