/**
 * What a node's `liuzhuan:` settings say about approving at it: the access of each record
 * field and the actions its assignee may take. The compiler keeps extension elements as
 * plain JSON in `FlowNode.extensions`; this file is the one place that reads that shape.
 */
import type { FlowNode } from '../bpmn/model.ts';
import { ForbiddenError } from '../errors.ts';

export type FieldAccess = 'hidden' | 'readonly' | 'editable' | 'required';
const ACCESS: readonly FieldAccess[] = ['hidden', 'readonly', 'editable', 'required'];

/**
 * `addSigner` is 加签 (engine/commands/addSigner.ts); `submit` is 提交 at a fill-in node (填写节点):
 * it completes the task with the form data and decides nothing. Names are matched
 * case-insensitively.
 */
export type ApprovalAction = 'approve' | 'reject' | 'return' | 'transfer' | 'addSigner' | 'submit';
/** Every action a node may list, in the order the API and the designer show them. */
export const KNOWN_ACTIONS: readonly ApprovalAction[] = ['submit', 'approve', 'reject', 'return', 'transfer', 'addSigner'];
/** A node without the element is an approval node: every approval action. */
export const ALL_ACTIONS: readonly ApprovalAction[] = ['approve', 'reject', 'return', 'transfer', 'addSigner'];
/** The actions that complete a task and so move the instance on; a node needs one of them. */
export const COMPLETING_ACTIONS: readonly ApprovalAction[] = ['approve', 'reject', 'submit'];
/** Actions that decide or sign, which mean nothing at a fill-in node. */
const APPROVAL_ONLY: readonly ApprovalAction[] = ['approve', 'reject', 'addSigner'];

/** 审批节点 (approve / reject) or 填写节点 (submit): what the task page offers. */
export type NodeKind = 'approval' | 'fillIn';

/** Field name → access. Fields not listed are `editable` (see docs/architecture.md). */
export type FieldPermissions = Record<string, FieldAccess>;

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * `<liuzhuan:fieldPermissions><liuzhuan:field name="amount" access="readonly"/>…` →
 * `{amount: 'readonly'}`. An unknown access value is treated as `readonly`: a typo in a model
 * should fail safe (nobody can change the field) rather than open it for editing.
 */
export function fieldPermissionsOf(node: FlowNode): FieldPermissions {
  const permissions: FieldPermissions = {};
  for (const element of asList(node.extensions?.fieldPermissions)) {
    for (const field of asList(record(element).fields)) {
      const { name, access } = record(field);
      if (typeof name !== 'string' || name === '') continue;
      const wanted = typeof access === 'string' ? access.trim().toLowerCase() : 'editable';
      permissions[name] = ACCESS.includes(wanted as FieldAccess) ? (wanted as FieldAccess) : 'readonly';
    }
  }
  return permissions;
}

export function accessOf(permissions: FieldPermissions, field: string): FieldAccess {
  return permissions[field] ?? 'editable';
}

/**
 * The action names the model lists: `<liuzhuan:actions allowed="approve,reject"/>`, or the
 * generic `<liuzhuan:settings><liuzhuan:entry key="actions" value="approve,reject"/>`
 * (lower-cased, blanks dropped); undefined when the node lists none.
 */
function declaredActionsOf(node: FlowNode): string[] | undefined {
  let declared: string | undefined;
  for (const element of asList(node.extensions?.actions)) {
    const allowed = record(element).allowed;
    if (typeof allowed === 'string') declared = allowed;
  }
  for (const element of asList(node.extensions?.settings)) {
    for (const entry of asList(record(element).entries)) {
      const { key, value } = record(entry);
      if (key === 'actions' && typeof value === 'string') declared = value;
    }
  }
  return declared?.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
}

/**
 * The actions allowed at a node. Absent → every approval action (`ALL_ACTIONS`).
 *
 * A list with no completing action (approve, reject, submit) can no longer be deployed
 * (`actionProblems`), but definitions deployed before that check may carry one: the flow
 * designer wrote its fill-in node as `allowed="return,transfer"`, so the instances stopped
 * there for good. Such a list is read as that fill-in node (`submit` added), which lets the
 * waiting instances move on.
 */
export function allowedActionsOf(node: FlowNode): ApprovalAction[] {
  const names = declaredActionsOf(node);
  if (names === undefined) return [...ALL_ACTIONS];
  const listed = KNOWN_ACTIONS.filter((action) => names.includes(action.toLowerCase()));
  const completes = listed.some((action) => COMPLETING_ACTIONS.includes(action));
  return completes ? listed : KNOWN_ACTIONS.filter((action) => action === 'submit' || listed.includes(action));
}

/** A node that allows `submit` is a fill-in node: its assignee fills in the form and submits. */
export function nodeKindOf(node: FlowNode): NodeKind {
  return allowedActionsOf(node).includes('submit') ? 'fillIn' : 'approval';
}

/** One reason a node's action list cannot be deployed, with its stable code. */
export interface ActionProblem {
  code: 'unknown_action' | 'no_completing_action' | 'fill_in_with_approval_actions';
  message: string;
  params: Record<string, string>;
}

/**
 * What a deploy refuses in a user task's action list: an unknown name, no action that
 * completes the task (an instance would stop there for good), or `submit` mixed with the
 * approval actions (a node either approves or is filled in).
 */
export function actionProblems(node: FlowNode): ActionProblem[] {
  const names = declaredActionsOf(node);
  if (names === undefined || node.type !== 'userTask') return [];
  const label = `${node.type} '${node.id}'${node.name ? ` (${node.name})` : ''}`;
  const problems: ActionProblem[] = [];
  const known = KNOWN_ACTIONS.map((action) => action.toLowerCase());
  for (const name of names.filter((item) => !known.includes(item))) {
    problems.push({
      code: 'unknown_action',
      message: `${label}: the allowed action '${name}' is unknown (use ${KNOWN_ACTIONS.join(', ')})`,
      params: { node: node.id, action: name },
    });
  }
  const listed = KNOWN_ACTIONS.filter((action) => names.includes(action.toLowerCase()));
  if (!listed.some((action) => COMPLETING_ACTIONS.includes(action))) {
    problems.push({
      code: 'no_completing_action',
      message:
        `${label}: its allowed actions (${listed.join(', ') || 'none'}) include none that completes the task, so every ` +
        'instance would stop here for good. Make it a fill-in node (add submit) or an approval node (add approve and reject)',
      params: { node: node.id, actions: listed.join(',') },
    });
  }
  const mixed = listed.filter((action) => APPROVAL_ONLY.includes(action));
  if (listed.includes('submit') && mixed.length > 0) {
    problems.push({
      code: 'fill_in_with_approval_actions',
      message:
        `${label}: submit (a fill-in node) cannot be combined with ${mixed.join(', ')}; ` +
        'a fill-in node allows submit, return and transfer, an approval node approve, reject, return, transfer and addSigner',
      params: { node: node.id, actions: mixed.join(',') },
    });
  }
  return problems;
}

export function assertActionAllowed(node: FlowNode, action: ApprovalAction): void {
  if (!allowedActionsOf(node).includes(action)) {
    throw new ForbiddenError(`The action "${action}" is not allowed at node "${node.id}"`, 'action_not_allowed');
  }
}
