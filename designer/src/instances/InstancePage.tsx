/**
 * 流程实例 `/instances/:id`: status, the submitted data (read-only form when the instance
 * was started from a flow form), the diagram with done / active / pending nodes, the
 * history, and 撤回 for the starter while the instance runs. Live on `instance.updated`.
 */
import { Alert, App, Button, Card, Col, Descriptions, Flex, Input, Modal, Result, Row, Spin, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiError, call, query } from '../api/client.ts';
import type { Page } from '../api/types.ts';
import { useUser } from '../auth/session.tsx';
import { FormRenderer } from '../forms/renderer/FormRenderer.tsx';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import { formatTime, formFields, useDisplayName, useProcessName } from './data.ts';
import { useLoad } from '../api/useLoad.ts';
import { InstanceDiagram } from './InstanceDiagram.tsx';
import { InstanceTimeline } from './InstanceTimeline.tsx';
import { StatusTag } from './StatusTag.tsx';
import type { FormVersion, TaskAction } from '../api/types.ts';
import type { InstanceView } from './types.ts';
import { VariablesView } from './VariablesView.tsx';
import { InstancePublicLinks } from '../publicLinks/InstancePublicLinks.tsx';

const messages = {
  zh: {
    status: '状态',
    process: '流程',
    startedBy: '发起人',
    startedAt: '发起时间',
    endedAt: '结束时间',
    businessKey: '业务编号',
    data: '表单内容',
    diagram: '流程进度',
    history: '流转记录',
    withdraw: '撤回',
    withdrawTitle: '撤回此流程？',
    withdrawHint: '撤回后流程终止，待办从处理人的工作台移除。',
    reason: '撤回原因（可选）',
    withdrawn: '已撤回',
    conflict: '无法撤回：{error}',
    notFound: '流程实例不存在',
    back: '返回工作台',
    incident: '流程出现异常：{message}',
    failed: '操作失败：{error}',
  },
  en: {
    status: 'Status',
    process: 'Process',
    startedBy: 'Started by',
    startedAt: 'Started',
    endedAt: 'Ended',
    businessKey: 'Business key',
    data: 'Submitted data',
    diagram: 'Progress',
    history: 'History',
    withdraw: 'Withdraw',
    withdrawTitle: 'Withdraw this process?',
    withdrawHint: 'The process ends and its open tasks leave the assignees\u2019 inboxes.',
    reason: 'Reason (optional)',
    withdrawn: 'Withdrawn',
    conflict: 'Cannot withdraw: {error}',
    notFound: 'The process instance does not exist',
    back: 'Back to inbox',
    incident: 'The process has an incident: {message}',
    failed: 'Failed: {error}',
  },
};

/** The form the instance's data belongs to: its record's, else the one its process is bound to. */
async function boundForm(instance: InstanceView): Promise<FormVersion | null> {
  let formKey = instance.record?.formKey;
  if (!formKey) {
    const latest = await call('getLatestDefinition', { path: { key: instance.definitionKey } }).catch(() => null);
    formKey = latest?.formKey ?? undefined;
  }
  return formKey ? call('getForm', { path: { key: formKey } }).catch(() => null) : null;
}

/** Who started it: the instance says so on newer servers; else the submit action, else the 我发起的 box. */
async function starterOf(instance: InstanceView, me: string): Promise<string | null> {
  if (instance.startedBy) return instance.startedBy;
  const actions = await api.get<TaskAction[]>(`/instances/${instance.id}/actions`).catch(() => []);
  const submit = actions.find((action) => action.action === 'submit');
  if (submit?.actor) return submit.actor;
  const mine = await api
    .get<Page<{ id: string }>>(`/inbox/started${query({ q: instance.definitionKey, pageSize: 100 })}`)
    .catch(() => ({ items: [], total: 0 }));
  return mine.items.some((item) => item.id === instance.id) ? me : null;
}

export function InstancePage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { id = '' } = useParams();
  const user = useUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const person = useDisplayName();
  const processName = useProcessName();
  const [refresh, setRefresh] = useState(0);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const loaded = useLoad(async () => {
    const instance = await api.get<InstanceView>(`/instances/${id}`);
    const [starter, form] = await Promise.all([
      starterOf(instance, user.username),
      boundForm(instance),
    ]);
    return { instance, starter, form };
  }, [id, refresh]);

  // `#history` (the record page's 流转记录 link) scrolls to the history once it is shown.
  const { hash } = useLocation();
  const shown = Boolean(loaded.data);
  useEffect(() => {
    if (shown && hash === '#history') document.getElementById('instance-history-card')?.scrollIntoView({ block: 'start' });
  }, [shown, hash]);

  const bump = (event: { instanceId?: string }) => event.instanceId === id && setRefresh((n) => n + 1);
  useRealtime('instance.updated', bump);
  useRealtime('task.updated', bump);
  useRealtime('task.assigned', bump);

  if (!loaded.data) {
    if (loaded.loading) return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
    return <Result status="404" title={t('notFound')} subTitle={loaded.error?.message} extra={<Button onClick={() => navigate('/inbox')}>{t('back')}</Button>} />;
  }
  const { instance, starter, form } = loaded.data;
  const canWithdraw = instance.status === 'active' && starter === user.username;

  const withdraw = async () => {
    setBusy(true);
    try {
      await api.post(`/instances/${id}/withdraw`, { comment: reason || undefined });
      message.success(t('withdrawn'));
      setWithdrawing(false);
      setRefresh((n) => n + 1);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      message.error(err instanceof ApiError && (err.status === 409 || err.status === 403) ? t('conflict', { error: text }) : t('failed', { error: text }));
      if (err instanceof ApiError && err.status === 409) setRefresh((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={12} data-testid="instance-page">
      <Card size="small">
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {processName(instance.definitionKey)} <StatusTag status={instance.status} testid="instance-status" />
          </Typography.Title>
          {canWithdraw ? (
            <Button danger onClick={() => setWithdrawing(true)} data-testid="instance-withdraw">
              {t('withdraw')}
            </Button>
          ) : null}
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          style={{ marginTop: 8 }}
          items={[
            { key: 'startedBy', label: t('startedBy'), children: person(starter) },
            { key: 'startedAt', label: t('startedAt'), children: formatTime(instance.startedAt, locale) },
            { key: 'endedAt', label: t('endedAt'), children: formatTime(instance.endedAt, locale) },
            { key: 'businessKey', label: t('businessKey'), children: instance.businessKey ?? '—' },
          ]}
        />
        {instance.incidents.map((incident) => (
          <Alert key={incident.id} type="error" showIcon title={t('incident', { message: incident.message })} style={{ marginTop: 8 }} />
        ))}
      </Card>
      <InstancePublicLinks instanceId={id} refreshKey={refresh} />
      <Card size="small" title={t('diagram')}>
        <InstanceDiagram instanceId={id} refreshKey={refresh} height={300} definitionKey={instance.definitionKey} />
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('data')}>
            {form ? (
              <FormRenderer schema={form.schema} uiSchema={form.uiSchema} formData={formFields(form.schema, instance.variables)} readOnly onSubmit={() => undefined} />
            ) : (
              <VariablesView variables={instance.variables} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('history')} id="instance-history-card">
            <InstanceTimeline instanceId={id} refreshKey={refresh} />
          </Card>
        </Col>
      </Row>
      <Modal
        open={withdrawing}
        title={t('withdrawTitle')}
        onCancel={() => setWithdrawing(false)}
        onOk={() => void withdraw()}
        okText={t('withdraw')}
        okButtonProps={{ danger: true, 'data-testid': 'withdraw-confirm' } as ButtonProps}
        confirmLoading={busy}
      >
        <Typography.Paragraph type="secondary">{t('withdrawHint')}</Typography.Paragraph>
        <Input.TextArea value={reason} onChange={(event) => setReason(event.target.value)} placeholder={t('reason')} data-testid="withdraw-reason" />
      </Modal>
    </Flex>
  );
}
