/**
 * 允许的操作 at a node (liuzhuan:actions). An approval node offers approve / reject / return /
 * transfer / 加签, all checked = the element is left out (all allowed); a fill-in node always
 * has 提交 and may add return and transfer. The last action that completes the task cannot be
 * unchecked: a node nobody can complete strands every instance (the engine refuses it too).
 */
import { Checkbox } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import { ALL_ACTIONS, COMPLETING_ACTIONS, FILL_IN_ACTIONS, type ApprovalAction } from '../model/liuzhuanExtensions.ts';

const messages = {
  zh: { approve: '同意', reject: '拒绝', return: '退回', transfer: '转交', addSigner: '加签', submit: '提交', lastCompleting: '至少保留一个能完成任务的操作' },
  en: {
    approve: 'Approve', reject: 'Reject', return: 'Return', transfer: 'Transfer', addSigner: 'Add signer', submit: 'Submit',
    lastCompleting: 'Keep at least one action that completes the task',
  },
};

export interface ActionsEditorProps {
  /** null = every approval action. */
  value: ApprovalAction[] | null;
  /** A fill-in node (填写节点): 提交 is fixed, return and transfer optional. */
  fillIn: boolean;
  onChange(next: ApprovalAction[] | null): void;
}

export function ActionsEditor({ value, fillIn, onChange }: ActionsEditorProps) {
  const t = useMessages(messages);
  const offered = fillIn ? FILL_IN_ACTIONS : ALL_ACTIONS;
  const checked = fillIn ? ['submit' as const, ...(value ?? []).filter((action) => action !== 'submit')] : (value ?? [...ALL_ACTIONS]);
  const completing = checked.filter((action) => COMPLETING_ACTIONS.includes(action));
  // The submit of a fill-in node, and the last of approve/reject, stay checked.
  const locked = (action: ApprovalAction) => (fillIn ? action === 'submit' : completing.length === 1 && completing[0] === action);
  return (
    <Checkbox.Group
      value={checked}
      data-testid="actions-editor"
      onChange={(next) => {
        const actions = offered.filter((action) => next.includes(action) || locked(action));
        if (fillIn) onChange(actions);
        else onChange(actions.length === ALL_ACTIONS.length ? null : actions);
      }}
    >
      {offered.map((action) => (
        <Checkbox key={action} value={action} disabled={locked(action)} title={locked(action) && !fillIn ? t('lastCompleting') : undefined} data-testid={`action-${action}`}>
          {t(action)}
        </Checkbox>
      ))}
    </Checkbox.Group>
  );
}
