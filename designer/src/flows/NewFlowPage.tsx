/**
 * /flows/new: name, key and the bound form (流程表单); writes the template (提交 → 审批 → 结束)
 * as the new flow's first draft and opens the designer on it.
 */
import { App, Button, Card, Form, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { loadDraft, saveDraft } from './designer/drafts.ts';
import type { DefinitionSummary } from './designer/loadFlow.ts';
import type { FormSummary } from './designer/useFlowData.ts';
import { FLOW_KEY_PATTERN, newFlowXml } from './model/newFlowXml.ts';

const messages = {
  zh: {
    title: '新建流程', name: '流程名称', namePlaceholder: '例如：抱怨处理', key: '流程标识', keyHelp: '字母开头，可含字母、数字、_ 和 -，发布后不能修改',
    form: '流程表单', formHelp: '提交这个表单即发起流程；各节点的字段权限按这个表单设置', create: '创建并打开设计器', cancel: '取消',
    required: '必填', badKey: '标识只能以字母开头，包含字母、数字、_ 和 -', taken: '已有流程使用标识「{key}」', drafted: '本浏览器中已有「{key}」的草稿',
  },
  en: {
    title: 'New flow', name: 'Flow name', namePlaceholder: 'e.g. Complaint handling', key: 'Flow key', keyHelp: 'Starts with a letter; letters, digits, _ and -; fixed once deployed',
    form: 'Flow form', formHelp: 'Submitting this form starts the flow; field permissions at each node refer to it', create: 'Create and open the designer', cancel: 'Cancel',
    required: 'Required', badKey: 'Start with a letter; letters, digits, _ and - only', taken: 'A flow with the key "{key}" exists already', drafted: 'This browser already has a draft for "{key}"',
  },
};

interface Values {
  name: string;
  key: string;
  formKey: string;
}

export function NewFlowPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [forms, setForms] = useState<FormSummary[]>([]);
  const [taken, setTaken] = useState<Set<string>>(new Set());

  useEffect(() => {
    api.get<FormSummary[]>('/forms').then(setForms, (err: Error) => message.error(err.message));
    api.get<DefinitionSummary[]>('/definitions').then((list) => setTaken(new Set(list.map((d) => d.key))), () => undefined);
  }, [message]);

  const create = ({ name, key, formKey }: Values) => {
    saveDraft(key, newFlowXml({ key, name, formKey, locale }));
    navigate(`/flows/${encodeURIComponent(key)}/design`);
  };

  return (
    <Card title={t('title')} style={{ maxWidth: 640 }} data-testid="flow-new-page">
      <Form<Values> layout="vertical" onFinish={create}>
        <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, message: t('required') }]}>
          <Input placeholder={t('namePlaceholder')} data-testid="new-flow-name" />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('key')}
          extra={t('keyHelp')}
          rules={[
            { required: true, message: t('required') },
            { pattern: FLOW_KEY_PATTERN, message: t('badKey') },
            { validator: async (_, key: string) => { if (key && taken.has(key)) throw new Error(t('taken', { key })); if (key && loadDraft(key)) throw new Error(t('drafted', { key })); } },
          ]}
        >
          <Input placeholder="complaint_flow" data-testid="new-flow-key" />
        </Form.Item>
        <Form.Item name="formKey" label={t('form')} extra={t('formHelp')} rules={[{ required: true, message: t('required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="new-flow-form"
            options={forms.map((form) => ({ value: form.key, label: `${pickText(form.title, locale, form.key)} (${form.key})` }))}
          />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="new-flow-create">{t('create')}</Button>
          <Button onClick={() => navigate('/flows')}>{t('cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
