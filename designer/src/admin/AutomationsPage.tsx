/** 智能助手: automations — when something happens to a form's data or a process, do things. */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, call } from '../api/client.ts';
import type { AutomationRun } from '../api/types.ts';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { formatRunTime, scheduleDraftOf } from './automationSchedule.ts';
import type { Choices } from './AutomationActionEditor.tsx';
import { AutomationEditor, type Automation } from './AutomationEditor.tsx';
import { errorText, useTime } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';


const messages = {
  zh: {
    title: '智能助手',
    intro: '数据新增、修改、流程结束时或定时，按条件自动新增/修改数据、发起流程、调用 Webhook 或发送通知。',
    create: '新建',
    name: '名称',
    trigger: '触发',
    'record.created': '新增数据',
    'record.updated': '修改数据',
    'process.finished': '流程结束',
    schedule: '定时触发',
    nextRun: '下次运行',
    tick: '定时批次',
    target: '表单 / 流程',
    filter: '条件',
    actions: '动作',
    state: '状态',
    on: '启用',
    off: '停用',
    updatedAt: '更新时间',
    edit: '编辑',
    runs: '运行记录',
    remove: '删除',
    confirmRemove: '删除这个智能助手？',
    removed: '已删除',
    failed: '操作失败：{reason}',
    empty: '还没有智能助手',
    loadFailed: '加载失败',
    done: '成功',
    loop_stopped: '循环已阻止',
    runFailed: '失败',
    noRuns: '还没有运行记录',
    time: '时间',
    result: '结果',
    record: '数据',
  },
  en: {
    title: 'Automations',
    intro: 'When a record is created or updated, a process finishes, or on a schedule, and a condition holds: create or update records, start a process, call a webhook or notify people.',
    create: 'New',
    name: 'Name',
    trigger: 'Trigger',
    'record.created': 'Record created',
    'record.updated': 'Record updated',
    'process.finished': 'Process finished',
    schedule: 'Scheduled',
    nextRun: 'Next run',
    tick: 'Scheduled run',
    target: 'Form / process',
    filter: 'Condition',
    actions: 'Actions',
    state: 'State',
    on: 'On',
    off: 'Off',
    updatedAt: 'Updated',
    edit: 'Edit',
    runs: 'Runs',
    remove: 'Delete',
    confirmRemove: 'Delete this automation?',
    removed: 'Deleted',
    failed: 'Failed: {reason}',
    empty: 'No automations yet',
    loadFailed: 'Could not load',
    done: 'Done',
    loop_stopped: 'Loop stopped',
    runFailed: 'Failed',
    noRuns: 'No runs yet',
    time: 'Time',
    result: 'Result',
    record: 'Record',
  },
};

export function AutomationsPage() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const time = useTime();
  const { locale } = useLocale();
  const automations = useLoad(() => api.get<Automation[]>('/automations'), []);
  const sources = useLoad(async () => {
    const [forms, definitions, templates, users] = await Promise.all([
      call('listForms'),
      call('listDefinitions', { query: { latest: 'true' } }),
      call('listMessageTemplates'),
      call('listUsers'),
    ]);
    return { forms, definitions, templates, users };
  }, []);
  const choices: Choices = useMemo(
    () => ({
      forms: (sources.data?.forms ?? []).map((f) => ({ value: f.key, label: `${f.title}（${f.key}）` })),
      definitions: (sources.data?.definitions ?? []).map((d) => ({ value: d.key, label: d.name ? `${d.name}（${d.key}）` : d.key })),
      templates: (sources.data?.templates ?? []).map((m) => ({ value: m.key, label: `${m.key} · ${m.channel}` })),
      users: (sources.data?.users ?? []).filter((u) => u.active).map((u) => ({ value: u.username, label: `${u.displayName}（${u.username}）` })),
    }),
    [sources.data],
  );
  const [editor, setEditor] = useState<{ open: boolean; automation: Automation | null }>({ open: false, automation: null });
  const [runsOf, setRunsOf] = useState<Automation | null>(null);
  const runs = useLoad(() => (runsOf ? api.get<AutomationRun[]>(`/automations/${runsOf.id}/runs`) : Promise.resolve([])), [runsOf]);

  const remove = async (automation: Automation) => {
    try {
      await api.delete(`/automations/${automation.id}`);
      message.success(t('removed'));
      await automations.reload();
    } catch (error) {
      message.error(t('failed', { reason: errorText(error) }));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-automations">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} align="start">
        <div>
          <Typography.Title level={3}>{t('title')}</Typography.Title>
          <Typography.Text type="secondary">{t('intro')}</Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditor({ open: true, automation: null })} data-testid="automations-create">
          {t('create')}
        </Button>
      </Space>
      {automations.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(automations.error)} /> : null}
      <Table<Automation>
        rowKey="id"
        loading={automations.loading}
        dataSource={automations.data ?? []}
        locale={{ emptyText: t('empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="automations-table"
        onRow={(a) => ({ 'data-testid': `automation-row-${a.id}` }) as object}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('trigger'), dataIndex: 'trigger', render: (value: Automation['trigger']) => <Tag>{t(value)}</Tag> },
          { title: t('target'), render: (_, a) => <Typography.Text code>{a.formKey ?? a.definitionKey}</Typography.Text> },
          { title: t('filter'), dataIndex: 'filter', render: (value: string | null) => (value ? <Typography.Text code>{value}</Typography.Text> : '—') },
          { title: t('actions'), render: (_, a) => a.actions.map((action, i) => <Tag key={i}>{action.type}</Tag>) },
          {
            title: t('nextRun'),
            dataIndex: 'nextRunAt',
            render: (value: string | null | undefined, a) => (a.trigger === 'schedule' ? <span data-testid={`automation-next-run-${a.id}`}>{formatRunTime(value, locale, scheduleDraftOf(a.schedule))}</span> : '—'),
          },
          { title: t('state'), dataIndex: 'enabled', render: (on: boolean) => (on ? <Tag color="green">{t('on')}</Tag> : <Tag>{t('off')}</Tag>) },
          { title: t('updatedAt'), dataIndex: 'updatedAt', render: (value: string) => time(value) },
          {
            title: '',
            render: (_, a) => (
              <Space>
                <Button size="small" onClick={() => setEditor({ open: true, automation: a })} data-testid={`automation-edit-${a.id}`}>
                  {t('edit')}
                </Button>
                <Button size="small" onClick={() => setRunsOf(a)} data-testid={`automation-runs-${a.id}`}>
                  {t('runs')}
                </Button>
                <Popconfirm title={t('confirmRemove')} onConfirm={() => void remove(a)}>
                  <Button size="small" danger data-testid={`automation-delete-${a.id}`}>
                    {t('remove')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <AutomationEditor
        open={editor.open}
        automation={editor.automation}
        choices={choices}
        onClose={(saved) => {
          setEditor({ open: false, automation: null });
          if (saved) void automations.reload();
        }}
      />
      <Modal open={runsOf !== null} title={`${t('runs')} · ${runsOf?.name ?? ''}`} footer={null} width={760} onCancel={() => setRunsOf(null)}>
        <Table<AutomationRun>
          rowKey="id"
          size="small"
          loading={runs.loading}
          dataSource={runs.data ?? []}
          locale={{ emptyText: t('noRuns') }}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('time'), dataIndex: 'createdAt', render: (value: string) => time(value) },
            { title: t('trigger'), dataIndex: 'trigger', render: (value: string, run) => (run.tickAt ? `${t('tick')} ${time(run.tickAt)}` : value) },
            { title: t('record'), dataIndex: 'recordId', render: (value: string | null) => (value ? <Typography.Text code>{value.slice(0, 8)}</Typography.Text> : '—') },
            {
              title: t('result'),
              render: (_, run) =>
                run.status === 'done' ? <Tag color="green">{t('done')}</Tag> : run.status === 'failed' ? <Tag color="red">{t('runFailed')}</Tag> : <Tag color="orange">{t('loop_stopped')}</Tag>,
            },
            { title: '', dataIndex: 'error', render: (value: string | null) => (value ? <Typography.Text type="danger">{value}</Typography.Text> : null) },
          ]}
        />
      </Modal>
    </Space>
  );
}
