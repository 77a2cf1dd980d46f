/**
 * /flows: every process definition (latest version per key), its bound form, when it was
 * deployed, plus flows that only exist as a draft in this browser. Open the designer or
 * preview the diagram.
 */
import { formatDateTime } from '../i18n/format.ts';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import type { FlowForm } from '../api/types.ts';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { draftKeys, loadDraft } from './designer/drafts.ts';
import { fetchDeployed, type DefinitionSummary } from './designer/loadFlow.ts';
import { ProcessDiagram } from './viewer/ProcessDiagram.tsx';

const messages = {
  zh: {
    title: '流程', create: '新建流程', name: '流程名称', key: '标识', version: '最新版本', form: '流程表单', deployedAt: '发布时间',
    actions: '操作', design: '设计', preview: '预览', draft: '草稿', notDeployed: '未发布', empty: '还没有流程，点「新建流程」开始',
    loadFailed: '流程列表加载失败：{error}', versions: '共 {count} 个版本',
  },
  en: {
    title: 'Flows', create: 'New flow', name: 'Name', key: 'Key', version: 'Latest version', form: 'Flow form', deployedAt: 'Deployed at',
    actions: 'Actions', design: 'Design', preview: 'Preview', draft: 'Draft', notDeployed: 'Not deployed', empty: 'No flows yet: click "New flow" to start',
    loadFailed: 'The flows could not be loaded: {error}', versions: '{count} versions',
  },
};

interface Row {
  key: string;
  name: string;
  latest?: DefinitionSummary;
  versions: number;
  form?: FlowForm;
  hasDraft: boolean;
}

export function FlowListPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [definitions, setDefinitions] = useState<DefinitionSummary[] | null>(null);
  const [flowForms, setFlowForms] = useState<FlowForm[]>([]);
  const [preview, setPreview] = useState<{ key: string; xml: string } | null>(null);

  useEffect(() => {
    api.get<DefinitionSummary[]>('/definitions').then(setDefinitions, (err: Error) => {
      setDefinitions([]);
      message.error(t('loadFailed', { error: err.message }));
    });
    // The flow ↔ form binding; an older server without the route just shows no form.
    api.get<FlowForm[]>('/flow-forms').then(setFlowForms, () => setFlowForms([]));
  }, [message, t]);

  const rows = useMemo<Row[]>(() => {
    const byKey = new Map<string, Row>();
    for (const definition of definitions ?? []) {
      const row = byKey.get(definition.key) ?? { key: definition.key, name: '', versions: 0, hasDraft: false };
      row.versions += 1;
      if (!row.latest || definition.version > row.latest.version) {
        row.latest = definition;
        row.name = definition.name ?? definition.key;
      }
      byKey.set(definition.key, row);
    }
    for (const key of draftKeys()) {
      const row = byKey.get(key) ?? { key, name: /<bpmn:process[^>]*name="([^"]*)"/.exec(loadDraft(key)?.xml ?? '')?.[1] ?? key, versions: 0, hasDraft: true };
      row.hasDraft = true;
      byKey.set(key, row);
    }
    for (const form of flowForms) {
      const row = byKey.get(form.definitionKey);
      if (row) row.form = form;
    }
    return [...byKey.values()].sort((a, b) => (b.latest?.deployedAt ?? '9').localeCompare(a.latest?.deployedAt ?? '9'));
  }, [definitions, flowForms]);

  const openPreview = async (key: string) => {
    try {
      const deployed = await fetchDeployed(key);
      if (deployed) setPreview({ key, xml: deployed.xml });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/flows/new')} data-testid="flow-new">
          {t('create')}
        </Button>
      </Space>
      <Table<Row>
        rowKey="key"
        loading={definitions === null}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('empty') }}
        data-testid="flow-list"
        onRow={(row) => ({ 'data-testid': `flow-row-${row.key}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('name'),
            dataIndex: 'name',
            render: (name: string, row) => (
              <Space>
                <Link to={`/flows/${encodeURIComponent(row.key)}/design`}>{name}</Link>
                {row.hasDraft && <Tag color="orange">{t('draft')}</Tag>}
              </Space>
            ),
          },
          { title: t('key'), dataIndex: 'key', render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
          {
            title: t('version'),
            render: (_, row) => (row.latest ? <span title={t('versions', { count: row.versions })}>v{row.latest.version}</span> : <Tag>{t('notDeployed')}</Tag>),
          },
          { title: t('form'), render: (_, row) => (row.form ? `${pickText(row.form.title, locale, row.form.formKey)} (${row.form.formKey})` : '—') },
          { title: t('deployedAt'), render: (_, row) => (row.latest ? formatDateTime(row.latest.deployedAt, locale) : '—') },
          {
            title: t('actions'),
            render: (_, row) => (
              <Space>
                <Link to={`/flows/${encodeURIComponent(row.key)}/design`} data-testid={`flow-design-${row.key}`}>{t('design')}</Link>
                {row.latest && (
                  <Typography.Link onClick={() => void openPreview(row.key)} data-testid={`flow-preview-${row.key}`}>
                    {t('preview')}
                  </Typography.Link>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Drawer open={preview !== null} onClose={() => setPreview(null)} size="large" title={preview?.key} destroyOnHidden>
        {preview && <ProcessDiagram xml={preview.xml} height={480} />}
      </Drawer>
    </Space>
  );
}
