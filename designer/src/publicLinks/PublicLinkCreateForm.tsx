/** Creating one public link: optional title, end date, most answers and channel; every field may stay empty. */
import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber } from 'antd';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../api/client.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { publicLinksApi, type PublicLink } from './api.ts';
import { publicLinkMessages } from './i18n.ts';

interface Values {
  title?: string;
  expiresAt?: Dayjs | null;
  maxUses?: number | null;
  channel?: string;
}

export function PublicLinkCreateForm({ formKey, onCreated }: { formKey: string; onCreated(link: PublicLink): void }) {
  const t = useMessages(publicLinkMessages);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  async function create(values: Values) {
    setSaving(true);
    try {
      const channel = values.channel?.trim();
      const link = await publicLinksApi.create(formKey, {
        title: values.title?.trim() || null,
        expiresAt: values.expiresAt ? values.expiresAt.toISOString() : null,
        maxUses: values.maxUses ?? null,
        ...(channel ? { channel: { channel } } : {}),
      });
      message.success(t('created'));
      form.resetFields();
      onCreated(link);
    } catch (error) {
      const detail = error instanceof ApiError ? error.details.map((d) => d.message).join('; ') : '';
      message.error(detail || (error as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Form form={form} layout="vertical" onFinish={(values) => void create(values)} data-testid="public-link-create">
      <Form.Item name="title" label={t('title')} extra={t('titleHint')}>
        <Input maxLength={200} data-testid="public-link-title" />
      </Form.Item>
      <Form.Item name="expiresAt" label={t('expiresAt')}>
        <DatePicker showTime placeholder={t('never')} style={{ width: '100%' }} data-testid="public-link-expires" />
      </Form.Item>
      <Form.Item name="maxUses" label={t('maxUses')}>
        <InputNumber min={1} max={1_000_000} precision={0} placeholder={t('unlimited')} style={{ width: '100%' }} data-testid="public-link-max-uses" />
      </Form.Item>
      <Form.Item name="channel" label={t('channel')} extra={t('channelHint')} rules={[{ pattern: /^[^\s]{0,200}$/ }]}>
        <Input maxLength={200} data-testid="public-link-channel" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="public-link-create-submit">
        {saving ? t('creating') : t('create')}
      </Button>
    </Form>
  );
}
