/** 允许的操作 at a node (liuzhuan:actions); all checked = the element is left out (all allowed). */
import { Checkbox } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import { ALL_ACTIONS, type ApprovalAction } from '../model/liuzhuanExtensions.ts';

const messages = {
  zh: { approve: '同意', reject: '拒绝', return: '退回', transfer: '转交', addSigner: '加签' },
  en: { approve: 'Approve', reject: 'Reject', return: 'Return', transfer: 'Transfer', addSigner: 'Add signer' },
};

export interface ActionsEditorProps {
  /** null = every action. */
  value: ApprovalAction[] | null;
  onChange(next: ApprovalAction[] | null): void;
}

export function ActionsEditor({ value, onChange }: ActionsEditorProps) {
  const t = useMessages(messages);
  const checked = value ?? [...ALL_ACTIONS];
  return (
    <Checkbox.Group
      value={checked}
      data-testid="actions-editor"
      onChange={(next) => {
        const actions = ALL_ACTIONS.filter((action) => next.includes(action));
        onChange(actions.length === ALL_ACTIONS.length ? null : actions);
      }}
    >
      {ALL_ACTIONS.map((action) => (
        <Checkbox key={action} value={action} data-testid={`action-${action}`}>
          {t(action)}
        </Checkbox>
      ))}
    </Checkbox.Group>
  );
}
