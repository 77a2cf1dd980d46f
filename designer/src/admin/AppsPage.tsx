/** 应用: the installed template apps (GET /api/apps) and what each brought, with links to each page. */
import { Alert, App, Button, Card, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { links } from './links.ts';
import { errorText, useTime } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';
import { ExportAppButton } from './packages/ExportAppButton.tsx';
import { ImportAppButton } from './packages/ImportAppButton.tsx';

type InstalledApp = ApiResponse<'listApps'>[number];
type AppForm = InstalledApp['forms'][number];

const messages = {
  zh: {
    title: '应用',
    intro: '已安装的模板应用，以及它们带来的表单、流程、自动分派规则、通知与打印模板。',
    empty: '没有安装模板应用（服务以 LIUZHUAN_LOAD_TEMPLATES=false 启动）',
    loadFailed: '加载应用失败',
    forms: '表单',
    form: '表单',
    version: '版本',
    records: '数据',
    routing: '自动分派',
    rules: '{n} 条规则',
    notRouted: '未配置',
    flow: '流程',
    noFlow: '无',
    design: '设计',
    data: '数据',
    definitions: '流程',
    noDefinitions: '还没有绑定到这些表单的流程',
    messageTemplates: '通知模板',
    printTemplates: '打印模板',
    none: '无',
    recomputeTiers: '重新计算客户分级',
    tiersComputed: '客户分级已更新（{customers} 位客户）：A {a} · B {b} · C {c}，计算于 {at}',
    tieringFailed: '计算客户分级失败',
  },
  en: {
    title: 'Apps',
    intro: 'Installed template apps and what they brought: forms, processes, routing rules, notification and print templates.',
    empty: 'No template app is installed (the server runs with LIUZHUAN_LOAD_TEMPLATES=false)',
    loadFailed: 'Could not load the apps',
    forms: 'Forms',
    form: 'Form',
    version: 'Version',
    records: 'Records',
    routing: 'Routing',
    rules: '{n} rules',
    notRouted: 'not set up',
    flow: 'Process',
    noFlow: 'none',
    design: 'Design',
    data: 'Data',
    definitions: 'Processes',
    noDefinitions: 'No process is bound to these forms yet',
    messageTemplates: 'Notification templates',
    printTemplates: 'Print templates',
    none: 'none',
    recomputeTiers: 'Recompute tiers',
    tiersComputed: 'Customer tiers updated ({customers} customers): A {a} · B {b} · C {c}, computed {at}',
    tieringFailed: 'Could not compute the customer tiers',
  },
};

export function AppsPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const time = useTime();
  const apps = useLoad(() => api.get<InstalledApp[]>('/apps'), []);
  const format = useFormat();
  const { message } = App.useApp();
  const [computing, setComputing] = useState<string | null>(null);

  /** ABC and RFM now (the daily job does the same at 02:00); the toast says how the customers fell. */
  const recomputeTiers = async (app: string) => {
    setComputing(app);
    try {
      const summary = await call('runTiering', { path: { app } });
      const n = (value: number) => format.number(value);
      message.success(
        t('tiersComputed', {
          customers: n(summary.customers),
          a: n(summary.tiers.A),
          b: n(summary.tiers.B),
          c: n(summary.tiers.C),
          at: format.dateTime(summary.computedAt),
        }),
      );
    } catch (error) {
      message.error(`${t('tieringFailed')}: ${errorText(error)}`);
    } finally {
      setComputing(null);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="admin-apps">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
        <div>
          <Typography.Title level={3}>{t('title')}</Typography.Title>
          <Typography.Text type="secondary">{t('intro')}</Typography.Text>
        </div>
        <ImportAppButton onImported={apps.reload} />
      </Space>
      {apps.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(apps.error)} /> : null}
      <Spin spinning={apps.loading}>
        {apps.data && apps.data.length === 0 ? <Empty description={t('empty')} data-testid="apps-empty" /> : null}
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          {(apps.data ?? []).map((app) => (
            <Card
              key={app.key}
              title={pickText(app.title, locale)}
              extra={
                <Space>
                  {app.tiering ? (
                    <Button
                      size="small"
                      loading={computing === app.key}
                      disabled={computing !== null && computing !== app.key}
                      onClick={() => void recomputeTiers(app.key)}
                      data-testid={`app-${app.key}-recompute-tiers`}
                    >
                      {t('recomputeTiers')}
                    </Button>
                  ) : null}
                  <ExportAppButton appKey={app.key} appName={pickText(app.title, locale)} />
                  <Tag>{app.key}</Tag>
                </Space>
              }
              data-testid={`app-${app.key}`}
            >
              <Typography.Paragraph type="secondary">{pickText(app.description, locale)}</Typography.Paragraph>
              <Table<AppForm>
                rowKey="key"
                size="small"
                pagination={false}
                dataSource={app.forms}
                data-testid={`app-${app.key}-forms`}
                columns={[
                  {
                    title: t('form'),
                    render: (_, form) => (
                      <Space orientation="vertical" size={0}>
                        <Typography.Text strong>{pickText(form.title, locale, form.storedTitle)}</Typography.Text>
                        <Typography.Text type="secondary" code>
                          {form.key}
                        </Typography.Text>
                      </Space>
                    ),
                  },
                  { title: t('version'), dataIndex: 'version', width: 70 },
                  { title: t('records'), dataIndex: 'recordCount', width: 70 },
                  {
                    title: t('routing'),
                    render: (_, form) =>
                      form.routing ? (
                        <Link to={links.routing(form.key)} data-testid={`app-form-${form.key}-routing`}>
                          <Tag color="blue">{t('rules', { n: form.routing.ruleCount })}</Tag>
                        </Link>
                      ) : (
                        <Link to={links.routing(form.key)}>{t('notRouted')}</Link>
                      ),
                  },
                  {
                    title: t('flow'),
                    render: (_, form) =>
                      form.definitionKey ? <Link to={links.flowDesign(form.definitionKey)}>{form.definitionKey}</Link> : t('noFlow'),
                  },
                  {
                    title: t('printTemplates'),
                    render: (_, form) => {
                      const prints = app.printTemplates.filter((p) => p.formKey === form.key);
                      return prints.length
                        ? prints.map((p) => (
                            <Link key={p.key} to={links.printTemplate(p.key)} style={{ marginRight: 8 }}>
                              {p.title}
                            </Link>
                          ))
                        : t('none');
                    },
                  },
                  {
                    title: '',
                    width: 110,
                    render: (_, form) => (
                      <Space>
                        <Link to={links.formDesign(form.key)} data-testid={`app-form-${form.key}-design`}>
                          {t('design')}
                        </Link>
                        <Link to={links.formRecords(form.key)}>{t('data')}</Link>
                      </Space>
                    ),
                  },
                ]}
              />
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('definitions')}
              </Typography.Title>
              {app.definitions.length === 0 ? (
                <Typography.Text type="secondary">{t('noDefinitions')}</Typography.Text>
              ) : (
                <Space wrap>
                  {app.definitions.map((d) => (
                    <Link key={d.id} to={links.flowDesign(d.key)}>
                      <Tag color="geekblue">
                        {d.name ?? d.key} v{d.version} · {time(d.deployedAt)}
                      </Tag>
                    </Link>
                  ))}
                </Space>
              )}
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('messageTemplates')}
              </Typography.Title>
              <Space wrap>
                {app.messageTemplates.length === 0 ? t('none') : null}
                {app.messageTemplates.map((m) => (
                  <Link key={m.key} to={links.messageTemplate(m.key)}>
                    <Tag>
                      {m.key} · {m.channel}
                    </Tag>
                  </Link>
                ))}
              </Space>
            </Card>
          ))}
        </Space>
      </Spin>
    </Space>
  );
}
