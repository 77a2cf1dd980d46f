/**
 * The task's action bar, limited to the node's `allowedActions` (CC is always offered):
 * 同意 / 拒绝 end the task (提交 at a fill-in node); 退回, 转交, 加签 and 抄送 ask for their
 * target in a modal first.
 * Errors go back to the page (`onError`), which shows 422 details beside the fields and
 * reloads after a 409.
 */
import { Button, Flex, Modal, Radio, Space, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { App } from 'antd';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { useMessages } from '../i18n/i18n.tsx';
import type { HistoryEntry, Task } from '../api/types.ts';
import type { TaskActionName } from '../instances/types.ts';
import { UserSelect } from './UserSelect.tsx';

const messages = {
  zh: {
    submit: '提交',
    approve: '同意',
    reject: '拒绝',
    return: '退回',
    transfer: '转交',
    addSigner: '加签',
    cc: '抄送',
    confirmReject: '确定拒绝此申请？',
    confirmRejectBody: '拒绝后流程将按设计走向拒绝分支或结束。建议在意见栏写明原因。',
    returnTitle: '退回到之前的节点',
    returnNone: '没有可退回的节点',
    transferTitle: '转交给',
    signerTitle: '加签',
    before: '在我之前审批（前加签）',
    after: '在我之后审批（后加签）',
    ccTitle: '抄送给',
    pickUser: '选择同事',
    ok: '确定',
    cancel: '取消',
    returned: '已退回',
    transferred: '已转交',
    signerAdded: '已加签',
    ccSent: '已抄送',
  },
  en: {
    submit: 'Submit',
    approve: 'Approve',
    reject: 'Reject',
    return: 'Return',
    transfer: 'Transfer',
    addSigner: 'Add signer',
    cc: 'CC',
    confirmReject: 'Reject this request?',
    confirmRejectBody: 'The process takes its rejection path or ends. Please give a reason in the comment.',
    returnTitle: 'Return to an earlier step',
    returnNone: 'There is no earlier step to return to',
    transferTitle: 'Transfer to',
    signerTitle: 'Add a signer',
    before: 'Signs before me',
    after: 'Signs after me',
    ccTitle: 'Send a copy to',
    pickUser: 'Choose a colleague',
    ok: 'OK',
    cancel: 'Cancel',
    returned: 'Returned',
    transferred: 'Transferred',
    signerAdded: 'Signer added',
    ccSent: 'Copy sent',
  },
};

type Dialog = 'return' | 'transfer' | 'addSigner' | 'cc' | null;

interface Props {
  task: Task;
  allowed: TaskActionName[];
  comment: string;
  disabled: boolean;
  /** Validates the form and approves with its data (the page owns the form). */
  onApprove(): void;
  /** Validates the form and submits it (提交 at a fill-in node). */
  onSubmit(): void;
  onReject(): void;
  /** A finished action that moves the task away from the user (returns to the inbox). */
  onDone(message: string): void;
  onError(err: unknown): void;
}

/** Earlier user tasks the instance has passed: where 退回 may send it. */
function returnTargets(history: HistoryEntry[], current: string): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const entry of history) {
    if (entry.elementType === 'userTask' && entry.endedAt && !entry.cancelled && entry.elementId !== current) {
      seen.set(entry.elementId, entry.elementName || entry.elementId);
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

export function TaskActions({ task, allowed, comment, disabled, onApprove, onSubmit, onReject, onDone, onError }: Props) {
  const t = useMessages(messages);
  const { modal, message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [targets, setTargets] = useState<{ id: string; name: string }[] | null>(null);
  const [choice, setChoice] = useState<string>();
  const [people, setPeople] = useState<string[]>([]);
  const [position, setPosition] = useState<'before' | 'after'>('after');

  const open = (next: Dialog) => {
    setChoice(undefined);
    setPeople([]);
    setDialog(next);
    if (next === 'return') {
      setTargets(null);
      api
        .get<HistoryEntry[]>(`/instances/${task.instanceId}/history`)
        .then((history) => setTargets(returnTargets(history, task.elementId)))
        .catch((err) => {
          setTargets([]);
          onError(err);
        });
    }
  };

  const run = async (call: () => Promise<unknown>, done: string, leaves: boolean) => {
    setBusy(true);
    try {
      await call();
      setDialog(null);
      if (leaves) onDone(done);
      else message.success(done);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = () => {
    const body = { comment: comment || undefined };
    if (dialog === 'return' && choice) {
      void run(() => api.post(`/tasks/${task.id}/return`, { ...body, toElementId: choice }), t('returned'), true);
    } else if (dialog === 'transfer' && choice) {
      void run(() => api.post(`/tasks/${task.id}/transfer`, { ...body, to: choice }), t('transferred'), true);
    } else if (dialog === 'addSigner' && choice) {
      // A signer before me puts my task on hold; after me, I still sign now.
      void run(() => api.post(`/tasks/${task.id}/add-signer`, { ...body, username: choice, position }), t('signerAdded'), position === 'before');
    } else if (dialog === 'cc' && people.length) {
      void run(() => api.post(`/instances/${task.instanceId}/cc`, { ...body, usernames: people, taskId: task.id }), t('ccSent'), false);
    }
  };

  const reject = () =>
    modal.confirm({
      title: t('confirmReject'),
      content: t('confirmRejectBody'),
      okText: t('reject'),
      okButtonProps: { danger: true, 'data-testid': 'reject-confirm' } as ButtonProps,
      cancelText: t('cancel'),
      onOk: onReject,
    });

  const can = (action: TaskActionName) => allowed.includes(action);
  const ready = dialog === 'cc' ? people.length > 0 : Boolean(choice);
  const titles = { return: t('returnTitle'), transfer: t('transferTitle'), addSigner: t('signerTitle'), cc: t('ccTitle') };

  return (
    <>
      <Flex wrap gap={8} className="task-action-bar" data-testid="task-actions">
        {can('submit') ? (
          <Button type="primary" disabled={disabled} onClick={onSubmit} data-testid="action-submit">
            {t('submit')}
          </Button>
        ) : null}
        {can('approve') ? (
          <Button type="primary" disabled={disabled} onClick={onApprove} data-testid="action-approve">
            {t('approve')}
          </Button>
        ) : null}
        {can('reject') ? (
          <Button danger disabled={disabled} onClick={reject} data-testid="action-reject">
            {t('reject')}
          </Button>
        ) : null}
        {can('return') ? (
          <Button disabled={disabled} onClick={() => open('return')} data-testid="action-return">
            {t('return')}
          </Button>
        ) : null}
        {can('transfer') ? (
          <Button disabled={disabled} onClick={() => open('transfer')} data-testid="action-transfer">
            {t('transfer')}
          </Button>
        ) : null}
        {can('addSigner') ? (
          <Button disabled={disabled} onClick={() => open('addSigner')} data-testid="action-add-signer">
            {t('addSigner')}
          </Button>
        ) : null}
        <Button disabled={disabled} onClick={() => open('cc')} data-testid="action-cc">
          {t('cc')}
        </Button>
      </Flex>
      <Modal
        open={dialog !== null}
        title={dialog ? titles[dialog] : ''}
        onCancel={() => setDialog(null)}
        onOk={confirm}
        okText={t('ok')}
        cancelText={t('cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: !ready, 'data-testid': `${dialog === 'addSigner' ? 'add-signer' : dialog}-confirm` } as ButtonProps}
        destroyOnHidden
      >
        {dialog === 'return' ? (
          targets === null ? null : targets.length === 0 ? (
            <Typography.Text type="secondary">{t('returnNone')}</Typography.Text>
          ) : (
            <Radio.Group value={choice} onChange={(event) => setChoice(event.target.value)} data-testid="return-target">
              <Space orientation="vertical">
                {targets.map((target) => (
                  <Radio key={target.id} value={target.id} data-testid={`return-target-${target.id}`}>
                    {target.name}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          )
        ) : null}
        {dialog === 'transfer' || dialog === 'addSigner' ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <UserSelect
              value={choice}
              onChange={(value) => setChoice(value as string)}
              exclude={task.assignee ? [task.assignee] : []}
              placeholder={t('pickUser')}
              testid={dialog === 'transfer' ? 'transfer-user' : 'add-signer-user'}
            />
            {dialog === 'addSigner' ? (
              <Radio.Group value={position} onChange={(event) => setPosition(event.target.value)} data-testid="add-signer-position">
                <Space orientation="vertical">
                  <Radio value="before" data-testid="add-signer-before">{t('before')}</Radio>
                  <Radio value="after" data-testid="add-signer-after">{t('after')}</Radio>
                </Space>
              </Radio.Group>
            ) : null}
          </Space>
        ) : null}
        {dialog === 'cc' ? (
          <UserSelect multiple value={people} onChange={(value) => setPeople(value as string[])} placeholder={t('pickUser')} testid="cc-users" />
        ) : null}
      </Modal>
    </>
  );
}
