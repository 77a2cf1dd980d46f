/**
 * 办理任务 `/tasks/:id`: who/what/when, the node's form (GET /api/tasks/:id/form — hidden
 * fields never arrive, readonly ones are disabled), a comment and the allowed actions;
 * tabs for the progress diagram and the history. 422 details land beside the fields, a 409
 * (someone else acted first) is explained and the task reloaded. At a fill-in node (填写节点,
 * `nodeKind: 'fillIn'`) the person fills in the form and 提交 completes it: no approval
 * progress, no 同意 / 拒绝.
 */
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Input, Result, Spin, Tabs, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ApiError, type ErrorDetail } from '../api/client.ts';
import { FormRenderer } from '../forms/renderer/FormRenderer.tsx';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { formatTime, formFields, useDisplayName, useProcessName } from '../instances/data.ts';
import { useLoad } from '../api/useLoad.ts';
import { InstanceDiagram } from '../instances/InstanceDiagram.tsx';
import { InstanceTimeline } from '../instances/InstanceTimeline.tsx';
import type { TaskAction } from '../api/types.ts';
import type { InstanceView, TaskForm } from '../instances/types.ts';
import { VariablesView } from '../instances/VariablesView.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import { ApprovalProgressBox } from './ApprovalProgressBox.tsx';
import { refreshCounts } from './counts.ts';
import { TaskActions } from './TaskActions.tsx';
import './inbox.css';

const messages = {
  zh: {
    back: '返回工作台',
    process: '流程',
    startedBy: '发起人',
    created: '到达时间',
    due: '截止时间',
    assignee: '处理人',
    candidates: '候选人',
    form: '表单',
    progress: '流程',
    history: '历史',
    comment: '审批意见',
    commentPlaceholder: '填写审批意见（可选）',
    note: '备注',
    notePlaceholder: '填写备注（可选）',
    submitted: '已提交',
    notOpen: '此任务已{status}，不能再办理',
    held: '此任务正在等待加签人先审批',
    conflict: '此任务已被他人处理，页面已刷新',
    invalid: '表单有错误，请按提示修改',
    notFound: '任务不存在或您无权办理',
    approved: '已同意',
    rejected: '已拒绝',
    instance: '查看流程实例',
    noForm: '此节点没有绑定表单',
    completed: '完成',
    cancelled: '取消',
    failed: '操作失败：{error}',
  },
  en: {
    back: 'Back to inbox',
    process: 'Process',
    startedBy: 'Started by',
    created: 'Arrived',
    due: 'Due',
    assignee: 'Assignee',
    candidates: 'Candidates',
    form: 'Form',
    progress: 'Progress',
    history: 'History',
    comment: 'Comment',
    commentPlaceholder: 'Add a comment (optional)',
    note: 'Note',
    notePlaceholder: 'Add a note (optional)',
    submitted: 'Submitted',
    notOpen: 'This task is {status} and cannot be worked on',
    held: 'This task waits for an added signer to sign first',
    conflict: 'Someone else acted on this task first; the page was reloaded',
    invalid: 'The form has errors; please correct them',
    notFound: 'The task does not exist or is not yours',
    approved: 'Approved',
    rejected: 'Rejected',
    instance: 'Open the instance',
    noForm: 'No form at this step',
    completed: 'completed',
    cancelled: 'cancelled',
    failed: 'Failed: {error}',
  },
};

interface Handle {
  submit(): void;
}

export function TaskPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const person = useDisplayName();
  const processName = useProcessName();
  const formRef = useRef<Handle>(null);
  const [comment, setComment] = useState('');
  const [serverErrors, setServerErrors] = useState<ErrorDetail[]>([]);
  const [busy, setBusy] = useState(false);
  const [data, setData] = useState<Record<string, unknown> | null>(null);
  const [refresh, setRefresh] = useState(0);

  const loaded = useLoad(async () => {
    const form = await api.get<TaskForm>(`/tasks/${id}/form`);
    const [instance, actions] = await Promise.all([
      api.get<InstanceView>(`/instances/${form.task.instanceId}`).catch(() => null),
      api.get<TaskAction[]>(`/instances/${form.task.instanceId}/actions`).catch(() => [] as TaskAction[]),
    ]);
    setData(null);
    return { ...form, instance, starter: instance?.startedBy ?? actions.find((action) => action.action === 'submit')?.actor ?? null };
  }, [id, refresh]);
  const view = loaded.data;

  // Another approver of the same node signing changes "2/3 已同意" under our feet.
  useRealtime('task.updated', (event) => {
    if (view && event.instanceId === view.task.instanceId) setRefresh((n) => n + 1);
  });

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 422) {
      setServerErrors(err.details);
      message.error(err.details.length ? t('invalid') : err.message);
    } else if (err instanceof ApiError && err.status === 409) {
      message.warning(t('conflict'));
      setRefresh((n) => n + 1);
    } else {
      message.error(t('failed', { error: err instanceof Error ? err.message : String(err) }));
    }
  };
  const done = (text: string) => {
    message.success(text);
    void refreshCounts();
    navigate('/inbox');
  };
  /** approve / reject at an approval node; submit (提交) at a fill-in node. */
  const decide = async (decision: 'approve' | 'reject' | 'submit', variables?: Record<string, unknown>) => {
    setBusy(true);
    setServerErrors([]);
    try {
      await api.post(`/tasks/${id}/${decision}`, { ...(variables ? { variables } : {}), comment: comment || undefined });
      done(decision === 'approve' ? t('approved') : decision === 'submit' ? t('submitted') : t('rejected'));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  // Readonly fields stay as they are: sending them back only risks a permissions 422.
  const editable = (values: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(values).filter(([name]) => view?.fieldPermissions[name] !== 'readonly'));
  const fillIn = view?.nodeKind === 'fillIn';
  // The form validates first; its onSubmit then approves, or submits at a fill-in node.
  const approve = () => {
    if (view?.form && formRef.current) formRef.current.submit();
    else void decide(fillIn ? 'submit' : 'approve', data ? editable(data) : undefined);
  };

  if (!view) {
    if (loaded.loading) return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
    return (
      <Result
        status={loaded.error instanceof ApiError && loaded.error.status === 403 ? '403' : '404'}
        title={t('notFound')}
        subTitle={loaded.error?.message}
        extra={<Button onClick={() => navigate('/inbox')}>{t('back')}</Button>}
      />
    );
  }

  const { task } = view;
  const open = task.status === 'open';
  const formPane = (
    <Flex vertical gap={12}>
      {view.form ? (
        <FormRenderer
          ref={formRef}
          schema={view.form.schema}
          uiSchema={view.form.uiSchema}
          formData={data ?? formFields(view.form.schema, view.data)}
          permissions={view.fieldPermissions}
          serverErrors={serverErrors}
          readOnly={!open}
          onChange={(next: Record<string, unknown>) => setData(next)}
          onSubmit={(values: Record<string, unknown>) => void decide(fillIn ? 'submit' : 'approve', editable(values))}
        />
      ) : Object.keys(view.data).length ? (
        <VariablesView variables={view.data} />
      ) : (
        <Empty description={t('noForm')} />
      )}
      <div>
        <Typography.Text strong>{fillIn ? t('note') : t('comment')}</Typography.Text>
        <Input.TextArea
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder={fillIn ? t('notePlaceholder') : t('commentPlaceholder')}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={2000}
          disabled={!open}
          data-testid="task-comment"
        />
      </div>
      <div className="task-action-sticky">
        <TaskActions
          task={task}
          allowed={view.allowedActions}
          comment={comment}
          disabled={!open || busy}
          onApprove={approve}
          onSubmit={approve}
          onReject={() => decide('reject')}
          onDone={done}
          onError={fail}
        />
      </div>
    </Flex>
  );

  return (
    <Flex vertical gap={12} data-testid="task-page">
      <Card size="small">
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="task-name">
            {task.name || task.elementId}
          </Typography.Title>
          <Button type="link" onClick={() => navigate(`/instances/${task.instanceId}`)} data-testid="task-open-instance">
            {t('instance')}
          </Button>
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          style={{ marginTop: 8 }}
          items={[
            { key: 'process', label: t('process'), children: processName(view.instance?.definitionKey) },
            { key: 'startedBy', label: t('startedBy'), children: person(view.starter) },
            { key: 'created', label: t('created'), children: formatTime(task.createdAt, locale) },
            {
              key: 'due',
              label: t('due'),
              children: task.dueAt ? (
                <Typography.Text type={new Date(task.dueAt) < new Date() && open ? 'danger' : undefined}>{formatTime(task.dueAt, locale)}</Typography.Text>
              ) : (
                '—'
              ),
            },
            {
              key: 'assignee',
              label: task.assignee ? t('assignee') : t('candidates'),
              children: task.assignee ? person(task.assignee) : [...task.candidateUsers.map(person), ...task.candidateGroups].join('、') || '—',
            },
          ]}
        />
      </Card>
      {task.status === 'held' ? <Alert type="warning" showIcon title={t('held')} data-testid="task-held" /> : null}
      {!open && task.status !== 'held' ? (
        <Alert type="warning" showIcon title={t('notOpen', { status: task.status in messages.zh ? t(task.status as 'completed') : task.status })} data-testid="task-closed" />
      ) : null}
      {view.approval && !fillIn ? <ApprovalProgressBox approval={view.approval} /> : null}
      <Card size="small">
        <Tabs
          items={[
            { key: 'form', label: <span data-testid="task-tab-form">{t('form')}</span>, children: formPane },
            {
              key: 'progress',
              label: <span data-testid="task-tab-progress">{t('progress')}</span>,
              children: <InstanceDiagram instanceId={task.instanceId} refreshKey={refresh} height={320} />,
            },
            {
              key: 'history',
              label: <span data-testid="task-tab-history">{t('history')}</span>,
              children: <InstanceTimeline instanceId={task.instanceId} refreshKey={refresh} />,
            },
          ]}
          destroyOnHidden
        />
      </Card>
    </Flex>
  );
}
