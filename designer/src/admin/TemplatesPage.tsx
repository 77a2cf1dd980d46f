/** 通知与打印模板: the handlebars message and print templates, listed on the left, edited on the right. */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Row, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, call } from '../api/client.ts';
import { useMessages } from '../i18n/i18n.tsx';
import type { MessageTemplate, PrintTemplate } from '../api/types.ts';
import { MessageTemplateEditor, PrintTemplateEditor } from './TemplateEditors.tsx';
import { errorText } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';

const messages = {
  zh: {
    title: '通知与打印模板',
    messages: '通知模板',
    print: '打印模板',
    create: '新建',
    pick: '选择左侧的模板进行编辑',
    emptyMessages: '还没有通知模板',
    emptyPrint: '还没有打印模板',
    loadFailed: '加载模板失败',
    newTemplate: '新模板',
  },
  en: {
    title: 'Notification & print templates',
    messages: 'Notification templates',
    print: 'Print templates',
    create: 'New',
    pick: 'Pick a template on the left to edit it',
    emptyMessages: 'No notification templates yet',
    emptyPrint: 'No print templates yet',
    loadFailed: 'Could not load the templates',
    newTemplate: 'New template',
  },
};

const NEW = '__new__';

export function TemplatesPage() {
  const t = useMessages(messages);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'print' ? 'print' : 'messages';
  const selectedKey = params.get('key') ?? undefined;
  const data = useLoad(async () => {
    const [messageTemplates, printTemplates, forms] = await Promise.all([
      api.get<MessageTemplate[]>('/templates/messages'),
      api.get<PrintTemplate[]>('/templates/print'),
      call('listForms'),
    ]);
    return { messageTemplates, printTemplates, forms };
  }, []);
  const [draftNew, setDraftNew] = useState<MessageTemplate | PrintTemplate | null>(null);
  const select = (nextTab: string, key?: string) => setParams(key ? { tab: nextTab, key } : { tab: nextTab });
  const formOptions = useMemo(() => (data.data?.forms ?? []).map((f) => ({ value: f.key, label: `${f.title}（${f.key}）` })), [data.data]);

  const list = tab === 'messages' ? data.data?.messageTemplates ?? [] : data.data?.printTemplates ?? [];
  const isNew = selectedKey === NEW;
  const current = isNew ? draftNew : list.find((item) => item.key === selectedKey);

  const startNew = () => {
    setDraftNew(tab === 'messages' ? { key: '', channel: 'inApp', subject: '', body: '', config: {} } : { key: '', formKey: '', title: '', body: '' });
    select(tab, NEW);
  };
  const onSaved = async (saved: { key: string }) => {
    await data.reload();
    select(tab, saved.key);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-templates">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      {data.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(data.error)} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(next) => select(next)}
        items={[
          { key: 'messages', label: <span data-testid="templates-tab-messages">{t('messages')}</span> },
          { key: 'print', label: <span data-testid="templates-tab-print">{t('print')}</span> },
        ]}
      />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card
            size="small"
            extra={
              <Button size="small" icon={<PlusOutlined />} onClick={startNew} data-testid="templates-create">
                {t('create')}
              </Button>
            }
          >
            <Spin spinning={data.loading}>
              {list.length === 0 && !data.loading ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tab === 'messages' ? t('emptyMessages') : t('emptyPrint')} />
              ) : null}
              {(list as (MessageTemplate | PrintTemplate)[]).map((item) => (
                <div
                  key={item.key}
                  role="button"
                  onClick={() => select(tab, item.key)}
                  className="admin-template-item"
                  style={{ cursor: 'pointer', padding: 8, borderRadius: 6, background: item.key === selectedKey ? '#e6f4ff' : undefined }}
                  data-testid={`template-item-${item.key}`}
                >
                  <Typography.Text strong>{'title' in item ? item.title : item.key}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary" code>
                      {item.key}
                    </Typography.Text>
                    {'channel' in item ? <Tag>{item.channel}</Tag> : <Tag>{item.formKey}</Tag>}
                  </div>
                </div>
              ))}
            </Spin>
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Card title={isNew ? t('newTemplate') : current?.key}>
            {!current ? (
              <Empty description={t('pick')} />
            ) : tab === 'messages' ? (
              <MessageTemplateEditor template={current as MessageTemplate} isNew={isNew} onSaved={(saved) => void onSaved(saved)} />
            ) : (
              <PrintTemplateEditor template={current as PrintTemplate} isNew={isNew} forms={formOptions} onSaved={(saved) => void onSaved(saved)} />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
