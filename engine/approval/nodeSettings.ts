/**
 * What a node's `liuzhuan:` settings say about approving at it: the access of each record
 * field and the actions its assignee may take. The compiler keeps extension elements as
 * plain JSON in `FlowNode.extensions`; this file is the one place that reads that shape.
 */
import type { FlowNode } from '../bpmn/model.ts';
import { ForbiddenError } from '../errors.ts';

export type FieldAccess = 'hidden' | 'readonly' | 'editable' | 'required';
const ACCESS: readonly FieldAccess[] = ['hidden', 'readonly', 'editable', 'required'];

/** `addSigner` is 加签 (engine/commands/addSigner.ts); names are matched case-insensitively. */
export type ApprovalAction = 'approve' | 'reject' | 'return' | 'transfer' | 'addSigner';
export const ALL_ACTIONS: readonly ApprovalAction[] = ['approve', 'reject', 'return', 'transfer', 'addSigner'];

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
 * The actions allowed at a node: `<liuzhuan:actions allowed="approve,reject"/>`, or the
 * generic `<liuzhuan:settings><liuzhuan:entry key="actions" value="approve,reject"/>`.
 * Absent → every action.
 */
export function allowedActionsOf(node: FlowNode): ApprovalAction[] {
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
  if (declared === undefined) return [...ALL_ACTIONS];
  const names = declared.split(',').map((name) => name.trim().toLowerCase());
  return ALL_ACTIONS.filter((action) => names.includes(action.toLowerCase()));
}

export function assertActionAllowed(node: FlowNode, action: ApprovalAction): void {
  if (!allowedActionsOf(node).includes(action)) {
    throw new ForbiddenError(`The action "${action}" is not allowed at node "${node.id}"`, 'action_not_allowed');
  }
}
