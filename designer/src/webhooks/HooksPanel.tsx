/** Incoming hooks: an outside system starts a flow by POSTing JSON to /api/hooks/{id} with the secret. */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { errorText, useTime } from '../admin/shared.tsx';
import { call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';
import { useLoad } from '../api/useLoad.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { webhookMessages } from './messages.ts';
import { SecretModal } from './SecretModal.tsx';
import { useSources } from './sources.ts';

type Hook = ApiResponse<'listIncomingHooks'>[number];

const fullUrl = (path: string) => `${window.location.origin}${path}`;

export function HooksPanel() {
  const t = useMessages(webhookMessages);
  const time = useTime();
  const { message } = App.useApp();
  const hooks = useLoad(() => call('listIncomingHooks'), []);
  const sources = useSources();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ secret: string; path: string } | null>(null);
  const [form] = Form.useForm<{ name: string; definitionKey: string; runAs?: string }>();
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    const draft = await form.validateFields();
    setError(null);
    try {
      const hook = await call('createIncomingHook', { body: { name: draft.name, definitionKey: draft.definitionKey, runAs: draft.runAs?.trim() || null } });
      setCreating(false);
      form.resetFields();
      setCreated({ secret: hook.secret, path: hook.path });
      message.success(t('created'));
      await hooks.reload();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const setEnabled = async (hook: Hook, enabled: boolean) => {
    try {
      await call('updateIncomingHook', { path: { id: hook.id }, body: { enabled } });
      message.success(t('saved'));
      await hooks.reload();
    } catch (failure) {
      message.error(t('failed', { reason: errorText(failure) }));
    }
  };
  const remove = async (hook: Hook) => {
    try {
      await call('deleteIncomingHook', { path: { id: hook.id } });
      message.success(t('removed'));
      await hooks.reload();
    } catch (failure) {
      message.error(t('failed', { reason: errorText(failure) }));
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="hook-new">
        {t('newHook')}
      </Button>
      <Table<Hook>
        rowKey="id"
        dataSource={hooks.data ?? []}
        pagination={false}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('process'), dataIndex: 'definitionKey' },
          { title: t('hookUrl'), dataIndex: 'path', render: (path: string) => <Typography.Text code copyable={{ text: fullUrl(path) }}>{path}</Typography.Text> },
          { title: t('runAs'), render: (_, hook) => hook.runAs.username },
          { title: t('uses'), dataIndex: 'useCount' },
          { title: t('lastUsed'), dataIndex: 'lastUsedAt', render: (at: string | null) => (at ? time(at) : '—') },
          { title: t('enabled'), dataIndex: 'enabled', render: (enabled: boolean, hook) => <Switch checked={enabled} onChange={(next) => void setEnabled(hook, next)} /> },
          {
            title: t('actions'),
            render: (_, hook) => (
              <Popconfirm title={t('deleteHookConfirm')} onConfirm={() => void remove(hook)}>
                <Button size="small" danger>
                  {t('delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal open={creating} title={t('newHook')} onCancel={() => setCreating(false)} onOk={() => void create()} okText={t('create')} cancelText={t('cancel')} destroyOnHidden>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('name')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="definitionKey" label={t('process')} rules={[{ required: true }]}>
            <Select showSearch options={sources.definitions} />
          </Form.Item>
          <Form.Item name="runAs" label={t('runAs')} extra={t('runAsHelp')}>
            <Input placeholder="admin" />
          </Form.Item>
        </Form>
      </Modal>
      <SecretModal
        secret={created?.secret ?? null}
        onClose={() => setCreated(null)}
        extra={created ? <Typography.Text code copyable>{`curl -X POST ${fullUrl(created.path)} -H 'Content-Type: application/json' -H 'X-Liuzhuan-Secret: ${created.secret}' -d '{…}'`}</Typography.Text> : null}
      />
    </Space>
  );
}
