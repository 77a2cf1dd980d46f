/**
 * 角色 (admins): the roles that permission groups and approver rules can name. Add (code +
 * names), rename, delete; the built-in ones (admin, staff) cannot be deleted. Who holds a role
 * is edited on the users page.
 */
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { detailsByPointer, errorText, fieldError } from '../admin/shared.tsx';
import { useLoad } from '../api/useLoad.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { accessApi, type Role } from './api.ts';
import { accessMessages } from './messages.ts';

export function RolesPage() {
  const t = useMessages(accessMessages);
  const { message, modal } = App.useApp();
  const roles = useLoad(() => accessApi.roles(), []);
  const [dialog, setDialog] = useState<{ open: boolean; role: Role | null }>({ open: false, role: null });

  const remove = (role: Role) =>
    modal.confirm({
      title: t('roleDeleteConfirm', { name: role.name }),
      content: t('roleDeleteHint'),
      okText: t('delete'),
      cancelText: t('cancel'),
      okButtonProps: { danger: true, 'data-testid': 'role-delete-confirm' } as never,
      onOk: async () => {
        try {
          await accessApi.deleteRole(role.code);
          message.success(t('roleDeleted'));
          await roles.reload();
        } catch (error) {
          message.error(t('failed', { error: errorText(error) }));
        }
      },
    });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-roles">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('rolesTitle')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ open: true, role: null })} data-testid="roles-create">
          {t('addRole')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('rolesIntro')}</Typography.Paragraph>
      {roles.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(roles.error)} /> : null}
      <Table<Role>
        rowKey="code"
        loading={roles.loading && !roles.data}
        dataSource={roles.data ?? []}
        pagination={false}
        locale={{ emptyText: t('noRoles') }}
        data-testid="roles-table"
        onRow={(role) => ({ 'data-testid': `role-row-${role.code}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('roleCode'), dataIndex: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
          { title: t('roleName'), dataIndex: 'name' },
          { title: t('roleNameEn'), dataIndex: 'nameEn', render: (value: string | null) => value ?? '—' },
          { title: t('roleUsers'), dataIndex: 'userCount', width: 90 },
          { title: '', dataIndex: 'builtin', width: 90, render: (builtin: boolean) => (builtin ? <Tag>{t('roleBuiltin')}</Tag> : null) },
          {
            title: '',
            width: 200,
            render: (_, role) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setDialog({ open: true, role })} data-testid={`role-edit-${role.code}`}>
                  {t('rename')}
                </Button>
                {!role.builtin && (
                  <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(role)} data-testid={`role-delete-${role.code}`}>
                    {t('delete')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RoleDialog
        open={dialog.open}
        role={dialog.role}
        onClose={(saved) => {
          setDialog({ open: false, role: null });
          if (saved) void roles.reload();
        }}
      />
    </Space>
  );
}

function RoleDialog(props: { open: boolean; role: Role | null; onClose(saved: boolean): void }) {
  const t = useMessages(accessMessages);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string; name: string; nameEn: string }>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setErrors({});
    form.resetFields();
    form.setFieldsValue(props.role ? { code: props.role.code, name: props.role.name, nameEn: props.role.nameEn ?? '' } : { code: '', name: '', nameEn: '' });
  }, [props.open, props.role, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setErrors({});
    try {
      if (props.role) await accessApi.updateRole(props.role.code, { name: values.name, nameEn: values.nameEn || null });
      else await accessApi.createRole({ code: values.code, name: values.name, nameEn: values.nameEn || null });
      message.success(t('roleSaved'));
      props.onClose(true);
    } catch (error) {
      setErrors(detailsByPointer(error));
      message.error(t('failed', { error: errorText(error) }));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.role ? t('editRole') : t('addRole')}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={() => props.onClose(false)}
      okButtonProps={{ 'data-testid': 'role-dialog-save' }}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="role-dialog">
        <Form.Item name="code" label={t('roleCode')} extra={t('roleCodeHelp')} rules={[{ required: true, message: t('required') }, { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('roleCodeHelp') }]} {...fieldError(errors['/code'], 'role-error-code')}>
          <Input disabled={!!props.role} data-testid="role-code" autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('roleName')} rules={[{ required: true, message: t('required') }]} {...fieldError(errors['/name'], 'role-error-name')}>
          <Input maxLength={100} data-testid="role-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('roleNameEn')} {...fieldError(errors['/nameEn'], 'role-error-nameEn')}>
          <Input maxLength={100} data-testid="role-name-en" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
