/**
 * Webhook (admins): outgoing subscriptions — list, create with an event picker, the secret
 * shown once, enable/disable, delete, the delivery log with re-send — and incoming hooks
 * (HooksPanel). Server: server/routes/webhooks.ts; receivers verify as docs/webhooks.md says.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../admin/shared.tsx';
import { ApiError, call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';
import { useLoad } from '../api/useLoad.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { DeliveriesDrawer } from './DeliveriesDrawer.tsx';
import { HooksPanel } from './HooksPanel.tsx';
import { webhookMessages, type WebhookMessageKey } from './messages.ts';
import { SecretModal } from './SecretModal.tsx';
import { EVENTS, useSources } from './sources.ts';

type Subscription = ApiResponse<'listWebhookSubscriptions'>[number];

interface Draft {
  name: string;
  url: string;
  events: string[];
  formKeys: string[];
  definitionKeys: string[];
}

export function WebhooksPage() {
  const t = useMessages(webhookMessages);
  const [tab, setTab] = useState('subscriptions');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-webhooks">
      <div>
        <Typography.Title level={3}>{t('title')}</Typography.Title>
        <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      </div>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'subscriptions', label: <span data-testid="webhooks-tab-subscriptions">{t('subscriptions')}</span>, children: <SubscriptionsPanel /> },
          { key: 'hooks', label: <span data-testid="webhooks-tab-hooks">{t('hooks')}</span>, children: <HooksPanel /> },
        ]}
      />
    </Space>
  );
}

function SubscriptionsPanel() {
  const t = useMessages(webhookMessages);
  const { message } = App.useApp();
  const subscriptions = useLoad(() => call('listWebhookSubscriptions'), []);
  const sources = useSources();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Subscription | null>(null);

  const setEnabled = async (subscription: Subscription, enabled: boolean) => {
    try {
      await call('updateWebhookSubscription', { path: { id: subscription.id }, body: { enabled } });
      message.success(t('saved'));
      await subscriptions.reload();
    } catch (error) {
      message.error(t('failed', { reason: errorText(error) }));
    }
  };
  const remove = async (subscription: Subscription) => {
    try {
      await call('deleteWebhookSubscription', { path: { id: subscription.id } });
      message.success(t('removed'));
      await subscriptions.reload();
    } catch (error) {
      message.error(t('failed', { reason: errorText(error) }));
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="webhook-new">
        {t('newSubscription')}
      </Button>
      {subscriptions.error ? <Alert type="error" showIcon title={errorText(subscriptions.error)} /> : null}
      <Table<Subscription>
        rowKey="id"
        dataSource={subscriptions.data ?? []}
        loading={subscriptions.loading && !subscriptions.data}
        pagination={false}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('url'), dataIndex: 'url', render: (url: string) => <Typography.Text code>{url}</Typography.Text> },
          {
            title: t('events'),
            dataIndex: 'events',
            render: (events: string[]) => events.map((event) => <Tag key={event}>{t(event as WebhookMessageKey)}</Tag>),
          },
          { title: t('secret'), dataIndex: 'secretHint', render: (hint: string) => <Typography.Text type="secondary">{hint}</Typography.Text> },
          { title: t('enabled'), dataIndex: 'enabled', render: (enabled: boolean, row) => <Switch checked={enabled} onChange={(next) => void setEnabled(row, next)} /> },
          {
            title: t('actions'),
            render: (_, row) => (
              <Space>
                <Button size="small" onClick={() => setLogOf(row)} data-testid="webhook-deliveries-open">
                  {t('deliveries')}
                </Button>
                <Popconfirm title={t('deleteConfirm')} onConfirm={() => void remove(row)}>
                  <Button size="small" danger>
                    {t('delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <SubscriptionDialog
        open={creating}
        forms={sources.forms}
        definitions={sources.definitions}
        onClose={() => setCreating(false)}
        onCreated={async (created) => {
          setCreating(false);
          setSecret(created);
          message.success(t('created'));
          await subscriptions.reload();
        }}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
      <DeliveriesDrawer subscription={logOf} onClose={() => setLogOf(null)} />
    </Space>
  );
}

type Option = { value: string; label: string };

function SubscriptionDialog(props: { open: boolean; forms: Option[]; definitions: Option[]; onClose(): void; onCreated(secret: string): Promise<void> }) {
  const t = useMessages(webhookMessages);
  const [form] = Form.useForm<Draft>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const draft = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      const created = await call('createWebhookSubscription', {
        body: { name: draft.name, url: draft.url, events: draft.events as Array<(typeof EVENTS)[number]>, formKeys: draft.formKeys ?? [], definitionKeys: draft.definitionKeys ?? [] },
      });
      form.resetFields();
      await props.onCreated(created.secret);
    } catch (failure) {
      // A field the server refused is marked on that field; anything else above the form.
      const detail = failure instanceof ApiError ? failure.details[0] : undefined;
      const field = detail?.pointer.split('/')[1] as keyof Draft | undefined;
      if (detail && field && ['name', 'url', 'events', 'formKeys', 'definitionKeys'].includes(field)) {
        form.setFields([{ name: field, errors: [detail.message] }]);
      } else setError(errorText(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={props.open} title={t('newSubscription')} onCancel={props.onClose} onOk={() => void submit()} okText={t('create')} cancelText={t('cancel')} confirmLoading={saving} okButtonProps={{ 'data-testid': 'webhook-create' } as never} destroyOnHidden>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" initialValues={{ events: ['record.created'], formKeys: [], definitionKeys: [] }}>
        <Form.Item name="name" label={t('name')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="webhook-name" />
        </Form.Item>
        <Form.Item name="url" label={t('url')} extra={t('urlHelp')} rules={[{ required: true }]}>
          <Input placeholder="https://example.com/liuzhuan" data-testid="webhook-url" />
        </Form.Item>
        <Form.Item name="events" label={t('events')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group data-testid="webhook-events" options={EVENTS.map((event) => ({ value: event, label: t(event) }))} />
        </Form.Item>
        <Form.Item name="formKeys" label={t('forms')} extra={t('formsHelp')}>
          <Select mode="multiple" allowClear options={props.forms} data-testid="webhook-forms" />
        </Form.Item>
        <Form.Item name="definitionKeys" label={t('processes')} extra={t('processesHelp')}>
          <Select mode="multiple" allowClear options={props.definitions} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
