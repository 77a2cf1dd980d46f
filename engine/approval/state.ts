/**
 * The state of one approval at a node, kept on the node's token in the instance's token tree
 * (`execution.approval`, stored with `process_instances.state`), so it is locked, changed and
 * written with the instance like everything else a command does. The `Execution` type in
 * runtime/state.ts does not declare it; this file is the one place that reads and writes it.
 *
 * A *slot* is one signature the node asks for: a resolved approver (`rule`), a user added
 * before (`before`, 前加签) or after (`after`, 后加签) someone. Every task of the node is owned
 * by the node's token, so when the token leaves (or is interrupted) every task still open is
 * cancelled in the same transaction.
 */
import type { Execution } from '../runtime/state.ts';
import type { ApprovalMode } from './settings.ts';

export type SlotOrigin = 'rule' | 'before' | 'after';
/** `waiting`: not offered yet (依次). `held`: its owner added a signer before them. */
export type SlotStatus = 'waiting' | 'open' | 'held' | 'approved' | 'rejected' | 'cancelled';

export interface ApprovalSlot {
  /** Null for a `single` node offered to several candidates (anyone of them acts). */
  username: string | null;
  candidates?: string[];
  origin: SlotOrigin;
  status: SlotStatus;
  taskId?: string;
  /** A `before` slot: the held task that re-opens when this slot approves. */
  reopensTaskId?: string;
  addedBy?: string;
  decidedBy?: string;
  decidedAt?: string;
}

export interface ApprovalState {
  /** The node the state belongs to; a token that moved on may carry a stale one. */
  elementId: string;
  mode: ApprovalMode;
  slots: ApprovalSlot[];
}

type ApprovalExecution = Execution & { approval?: ApprovalState };

/** The approval running at the token's current node, if any. */
export function approvalOf(execution: Execution): ApprovalState | undefined {
  const state = (execution as ApprovalExecution).approval;
  return state && state.elementId === execution.elementId ? state : undefined;
}

export function setApproval(execution: Execution, state: ApprovalState | undefined): void {
  if (state) (execution as ApprovalExecution).approval = state;
  else delete (execution as ApprovalExecution).approval;
}

export function slotOfTask(state: ApprovalState, taskId: string): ApprovalSlot | undefined {
  return state.slots.find((slot) => slot.taskId === taskId);
}

/** Slots that still need someone: offered, on hold, or not yet offered. */
export function isPending(slot: ApprovalSlot): boolean {
  return slot.status === 'open' || slot.status === 'held' || slot.status === 'waiting';
}

export interface ApprovalProgress {
  elementId: string;
  mode: ApprovalMode;
  /** Signatures the node asks for (resolved approvers plus added signers). */
  total: number;
  approved: number;
  rejected: number;
  /** Who still has to act, in order (a `single` node lists every candidate). */
  pending: string[];
  decided: Array<{ username: string; decision: 'approve' | 'reject'; at: string; origin: SlotOrigin }>;
  /** Signatures no longer needed (或签 decided by someone else, or the node was rejected). */
  cancelled: string[];
}

/** `assignees`: the tasks' current assignees by task id, so a transferred task shows its new owner. */
export function progressOf(state: ApprovalState, assignees: Map<string, string | null> = new Map()): ApprovalProgress {
  const names = (slot: ApprovalSlot) => {
    const current = slot.taskId ? assignees.get(slot.taskId) : undefined;
    if (current) return [current];
    return slot.username ? [slot.username] : (slot.candidates ?? []);
  };
  const decided = state.slots
    .filter((slot) => slot.status === 'approved' || slot.status === 'rejected')
    .map((slot) => ({
      username: slot.decidedBy ?? slot.username ?? '',
      decision: slot.status === 'approved' ? ('approve' as const) : ('reject' as const),
      at: slot.decidedAt ?? '',
      origin: slot.origin,
    }))
    .sort((a, b) => a.at.localeCompare(b.at));
  return {
    elementId: state.elementId,
    mode: state.mode,
    total: state.slots.length,
    approved: state.slots.filter((slot) => slot.status === 'approved').length,
    rejected: state.slots.filter((slot) => slot.status === 'rejected').length,
    pending: state.slots.filter(isPending).flatMap(names),
    decided,
    cancelled: state.slots.filter((slot) => slot.status === 'cancelled').flatMap(names),
  };
}
