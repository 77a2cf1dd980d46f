/**
 * 超时: remind the assignee after a while, then act (自动同意 / 退回 / 升级转交). Written as
 * liuzhuan:timeout with ISO-8601 durations (PT4H, P1D); the deploy checks the rest
 * (engine/approval/timeoutSettings.ts), e.g. that the node allows the action. On a fill-in
 * node (填写节点) the engine's automatic action submits the form as it stands, so it reads
 * 自动提交; only actions the node allows are offered (the deploy would refuse the others).
 */
import { Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import {
  isFillIn,
  isoDuration,
  parseIsoDuration,
  type ApprovalAction,
  type DurationUnit,
  type TimeoutAction,
  type TimeoutSettings,
} from '../model/liuzhuanExtensions.ts';
import type { DiagramElement } from './modeler.ts';
import type { UserOption } from './useFlowData.ts';

const messages = {
  zh: {
    enabled: '超时处理', remind: '提醒处理人', after: '超时后', none: '不设置', minutes: '分钟', hours: '小时', days: '天',
    approve: '自动同意', submit: '自动提交', return: '退回', escalate: '升级转交', escalateTo: '转交给', head: '处理人的部门负责人', returnTo: '退回到', previous: '上一节点',
  },
  en: {
    enabled: 'Timeout', remind: 'Remind the assignee after', after: 'After', none: 'Not set', minutes: 'minutes', hours: 'hours', days: 'days',
    approve: 'Approve automatically', submit: 'Auto-submit', return: 'Return', escalate: 'Escalate (transfer)', escalateTo: 'Transfer to', head: "Assignee's department head", returnTo: 'Return to', previous: 'Previous node',
  },
};

export interface TimeoutEditorProps {
  value: TimeoutSettings | null;
  /** The node's liuzhuan:actions (null: every approval action), which decide what a timeout may do. */
  actions?: readonly ApprovalAction[] | null;
  users: UserOption[];
  /** Other user tasks of the process (for 退回到). */
  returnTargets: DiagramElement[];
  onChange(next: TimeoutSettings | null): void;
}

function DurationInput({ value, onChange, testId }: { value?: string; onChange(next?: string): void; testId: string }) {
  const t = useMessages(messages);
  const parsed = parseIsoDuration(value);
  if (value && !parsed) {
    // A duration the two boxes cannot show (P1DT12H): edit the ISO text itself.
    return <Input value={value} onChange={(event) => onChange(event.target.value || undefined)} data-testid={`${testId}-iso`} style={{ width: 160 }} />;
  }
  const unit = parsed?.unit ?? 'hours';
  return (
    <Space.Compact>
      <InputNumber
        min={1}
        value={parsed?.amount ?? null}
        placeholder={t('none')}
        data-testid={`${testId}-amount`}
        onChange={(amount) => onChange(amount ? isoDuration(Number(amount), unit) : undefined)}
        style={{ width: 90 }}
      />
      <Select
        value={unit}
        data-testid={`${testId}-unit`}
        style={{ width: 80 }}
        options={(['minutes', 'hours', 'days'] as DurationUnit[]).map((u) => ({ value: u, label: t(u) }))}
        onChange={(next: DurationUnit) => parsed && onChange(isoDuration(parsed.amount, next))}
      />
    </Space.Compact>
  );
}

/** The node action each timeout action runs (as the engine's timeoutSettings.ts checks it). */
const NEEDS: Record<TimeoutAction, ApprovalAction> = { approve: 'approve', return: 'return', escalate: 'transfer' };

/**
 * The timeout actions the node allows, with the word for each: on a fill-in node the automatic
 * completion is 提交 (the engine submits; a fill-in node never approves or rejects).
 */
export function timeoutChoices(actions: readonly ApprovalAction[] | null): { value: TimeoutAction; word: 'approve' | 'submit' | 'return' | 'escalate' }[] {
  const fillIn = isFillIn(actions);
  const allowed = (action: ApprovalAction) => actions === null || actions.includes(action);
  return (['approve', 'return', 'escalate'] as TimeoutAction[])
    .filter((action) => (action === 'approve' && fillIn ? true : allowed(NEEDS[action])))
    .map((action) => ({ value: action, word: action === 'approve' && fillIn ? 'submit' : action }));
}

export function TimeoutEditor({ value, actions = null, users, returnTargets, onChange }: TimeoutEditorProps) {
  const t = useMessages(messages);
  const choices = timeoutChoices(actions);
  const set = (patch: Partial<TimeoutSettings>) => onChange({ ...value, ...patch });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="timeout-editor">
      <Space>
        <Switch
          checked={value !== null}
          data-testid="timeout-enabled"
          onChange={(on) => onChange(on ? { remindAfter: 'PT4H', after: 'P1D', action: 'approve' } : null)}
        />
        <Typography.Text>{t('enabled')}</Typography.Text>
      </Space>
      {value && (
        <>
          <Space wrap>
            <Typography.Text>{t('remind')}</Typography.Text>
            <DurationInput value={value.remindAfter} testId="timeout-remind" onChange={(remindAfter) => set({ remindAfter })} />
          </Space>
          <Space wrap>
            <Typography.Text>{t('after')}</Typography.Text>
            <DurationInput value={value.after} testId="timeout-after" onChange={(after) => set({ after })} />
            <Select
              value={value.action}
              allowClear
              placeholder={t('none')}
              style={{ width: 150 }}
              data-testid="timeout-action"
              options={choices.map((choice) => ({ value: choice.value, label: t(choice.word) }))}
              onChange={(action?: TimeoutAction) => set({ action, escalateTo: undefined, returnTo: undefined })}
            />
          </Space>
          {value.action === 'escalate' && (
            <Space wrap>
              <Typography.Text>{t('escalateTo')}</Typography.Text>
              <Select
                value={value.escalateTo}
                style={{ width: 220 }}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="timeout-escalate-to"
                options={[{ value: 'head', label: t('head') }, ...users.map((user) => ({ value: user.username, label: `${user.displayName || user.username} (${user.username})` }))]}
                onChange={(escalateTo: string) => set({ escalateTo })}
              />
            </Space>
          )}
          {value.action === 'return' && (
            <Space wrap>
              <Typography.Text>{t('returnTo')}</Typography.Text>
              <Select
                value={value.returnTo ?? ''}
                style={{ width: 220 }}
                data-testid="timeout-return-to"
                options={[{ value: '', label: t('previous') }, ...returnTargets.map((task) => ({ value: task.id, label: task.businessObject.name || task.id }))]}
                onChange={(returnTo: string) => set({ returnTo: returnTo || undefined })}
              />
            </Space>
          )}
        </>
      )}
    </Space>
  );
}
