/**
 * The two template editors: a message template (channel, subject, body, channel settings) and
 * a print template (form, title, body, preview on a record). Both save with PUT and show the
 * server's 422 — e.g. a handlebars compile error with its line — under the field it names.
 */
import { DeleteOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call } from '../api/client.ts';
import type { MessageTemplate, PrintTemplate } from '../api/types.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { links } from './links.ts';
import { detailsByPointer, errorText, fieldError } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';



const messages = {
  zh: {
    key: '模板键',
    keyHelp: '字母、数字、_ . -；流程和智能助手用它引用模板',
    channel: '渠道',
    inApp: '站内消息',
    email: '邮件',
    chatRobot: '群机器人',
    subject: '标题',
    body: '正文（Handlebars）',
    bodyHelp: '用 {{字段名}} 引用数据；助手：date、money、eq、label；站内消息与打印不允许 {{{ }}}',
    config: '渠道设置',
    configHelp: '群机器人：provider（wecom / dingtalk / feishu）、url、secret',
    addConfig: '添加设置',
    form: '表单',
    title: '标题',
    save: '保存',
    saved: '模板已保存',
    failed: '保存失败：{reason}',
    preview: '打印预览',
    pickRecord: '选择一条数据',
    previewHelp: '预览使用已保存的模板',
    open: '打开预览',
  },
  en: {
    key: 'Template key',
    keyHelp: 'Letters, digits, _ . -; processes and automations refer to it',
    channel: 'Channel',
    inApp: 'In-app',
    email: 'E-mail',
    chatRobot: 'Chat robot',
    subject: 'Subject',
    body: 'Body (Handlebars)',
    bodyHelp: 'Use {{field}} for data; helpers: date, money, eq, label; in-app and print refuse {{{ }}}',
    config: 'Channel settings',
    configHelp: 'Chat robot: provider (wecom / dingtalk / feishu), url, secret',
    addConfig: 'Add setting',
    form: 'Form',
    title: 'Title',
    save: 'Save',
    saved: 'Template saved',
    failed: 'Could not save: {reason}',
    preview: 'Print preview',
    pickRecord: 'Pick a record',
    previewHelp: 'The preview uses the saved template',
    open: 'Open preview',
  },
};

const mono = { fontFamily: 'monospace' };

function useSave<T>(url: (draft: T) => string, onSaved: (saved: T) => void) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const save = async (draft: T, body: unknown) => {
    setSaving(true);
    setErrors({});
    try {
      const saved = await api.put<T>(url(draft), body);
      message.success(t('saved'));
      onSaved(saved);
    } catch (error) {
      const details = detailsByPointer(error);
      setErrors(Object.keys(details).length ? details : { '': errorText(error) });
      message.error(t('failed', { reason: errorText(error) }));
    } finally {
      setSaving(false);
    }
  };
  const item = (pointer: string) =>
    fieldError(errors[pointer], `template-error-${pointer.slice(1)}`);
  return { save, saving, errors, item, reset: () => setErrors({}) };
}

export function MessageTemplateEditor(props: { template: MessageTemplate; isNew: boolean; onSaved(saved: MessageTemplate): void }) {
  const t = useMessages(messages);
  const [draft, setDraft] = useState(props.template);
  const { save, saving, item, errors, reset } = useSave<MessageTemplate>((d) => `/templates/messages/${encodeURIComponent(d.key)}`, props.onSaved);
  useEffect(() => {
    setDraft(props.template);
    reset();
  }, [props.template]);
  // The server's messages describe the text that was sent: any edit retires them.
  useEffect(() => reset(), [draft]);
  const config = Object.entries(draft.config ?? {});
  const setConfig = (entries: [string, string][]) => setDraft({ ...draft, config: Object.fromEntries(entries) });

  return (
    <Form layout="vertical" component="div" data-testid="message-template-editor">
      {props.isNew ? (
        <Form.Item label={t('key')} extra={t('keyHelp')} {...item('/key')}>
          <Input value={draft.key} onChange={(e) => setDraft({ ...draft, key: e.target.value })} data-testid="template-key" />
        </Form.Item>
      ) : null}
      <Form.Item label={t('channel')} {...item('/channel')}>
        <Select
          style={{ width: 200 }}
          value={draft.channel}
          data-testid="template-channel"
          onChange={(channel: MessageTemplate['channel']) => setDraft({ ...draft, channel })}
          options={(['inApp', 'email', 'chatRobot'] as const).map((value) => ({ value, label: t(value) }))}
        />
      </Form.Item>
      <Form.Item label={t('subject')} {...item('/subject')}>
        <Input style={mono} value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} data-testid="template-subject" />
      </Form.Item>
      <Form.Item label={t('body')} extra={t('bodyHelp')} {...item('/body')}>
        <Input.TextArea style={mono} rows={10} value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} data-testid="template-body" />
      </Form.Item>
      {draft.channel !== 'inApp' ? (
        <Form.Item label={t('config')} extra={t('configHelp')} {...item('/config')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {config.map(([name, value], index) => (
              <Space key={index}>
                <Input style={{ width: 140 }} value={name} onChange={(e) => setConfig(config.map((c, i) => (i === index ? [e.target.value, value] : c)))} data-testid={`template-config-${index}-name`} />
                <Input style={{ width: 360 }} value={value} onChange={(e) => setConfig(config.map((c, i) => (i === index ? [name, e.target.value] : c)))} data-testid={`template-config-${index}-value`} />
                <Button icon={<DeleteOutlined />} onClick={() => setConfig(config.filter((_, i) => i !== index))} />
              </Space>
            ))}
            <Button size="small" icon={<PlusOutlined />} onClick={() => setConfig([...config, [config.length ? `key${config.length + 1}` : 'provider', '']])}>
              {t('addConfig')}
            </Button>
          </Space>
        </Form.Item>
      ) : null}
      {errors[''] ? <Typography.Text type="danger">{errors['']}</Typography.Text> : null}
      <Button
        type="primary"
        loading={saving}
        data-testid="template-save"
        onClick={() => void save(draft, { channel: draft.channel, subject: draft.subject, body: draft.body, config: draft.channel === 'inApp' ? {} : draft.config })}
      >
        {t('save')}
      </Button>
    </Form>
  );
}

export function PrintTemplateEditor(props: { template: PrintTemplate; isNew: boolean; forms: { value: string; label: string }[]; onSaved(saved: PrintTemplate): void }) {
  const t = useMessages(messages);
  const [draft, setDraft] = useState(props.template);
  const [recordId, setRecordId] = useState<string | undefined>();
  const { save, saving, item, errors, reset } = useSave<PrintTemplate>((d) => `/templates/print/${encodeURIComponent(d.key)}`, props.onSaved);
  useEffect(() => {
    setDraft(props.template);
    setRecordId(undefined);
    reset();
  }, [props.template]);
  useEffect(() => reset(), [draft]);
  const records = useLoad(
    () =>
      draft.formKey
        ? call('listRecords', { path: { key: draft.formKey }, query: { pageSize: 50 } })
        : Promise.resolve({ items: [], total: 0 }),
    [draft.formKey],
  );
  /** A short label for a record: its first few text values. */
  const summary = (data: Record<string, unknown>) =>
    Object.values(data)
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .slice(0, 2)
      .join(' · ')
      .slice(0, 40);

  return (
    <Form layout="vertical" component="div" data-testid="print-template-editor">
      {props.isNew ? (
        <Form.Item label={t('key')} extra={t('keyHelp')} {...item('/key')}>
          <Input value={draft.key} onChange={(e) => setDraft({ ...draft, key: e.target.value })} data-testid="template-key" />
        </Form.Item>
      ) : null}
      <Space size="large" wrap>
        <Form.Item label={t('form')} {...item('/formKey')}>
          <Select style={{ width: 260 }} value={draft.formKey || undefined} options={props.forms} onChange={(formKey: string) => setDraft({ ...draft, formKey })} data-testid="template-form" />
        </Form.Item>
        <Form.Item label={t('title')} {...item('/title')}>
          <Input style={{ width: 260 }} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} data-testid="template-title" />
        </Form.Item>
      </Space>
      <Form.Item label={t('body')} extra={t('bodyHelp')} {...item('/body')}>
        <Input.TextArea style={mono} rows={14} value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} data-testid="template-body" />
      </Form.Item>
      {errors[''] ? <Typography.Text type="danger">{errors['']}</Typography.Text> : null}
      <Space wrap>
        <Button type="primary" loading={saving} data-testid="template-save" onClick={() => void save(draft, { formKey: draft.formKey, title: draft.title, body: draft.body })}>
          {t('save')}
        </Button>
        {!props.isNew ? (
          <>
            <Select
              style={{ width: 280 }}
              placeholder={t('pickRecord')}
              loading={records.loading}
              value={recordId}
              onChange={setRecordId}
              data-testid="print-preview-record"
              options={(records.data?.items ?? []).map((r) => ({ value: r.id, label: summary(r.data) || r.id.slice(0, 8) }))}
            />
            <Button
              icon={<PrinterOutlined />}
              disabled={!recordId}
              href={recordId ? links.printPage(draft.formKey, recordId, props.template.key) : undefined}
              target="_blank"
              data-testid="print-preview-open"
            >
              {t('open')}
            </Button>
            <Typography.Text type="secondary">{t('previewHelp')}</Typography.Text>
          </>
        ) : null}
      </Space>
    </Form>
  );
}
