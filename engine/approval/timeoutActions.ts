/**
 * What a node timeout does to a still-open task: remind whoever has it, or act as the
 * system — approve, return to an earlier node, or escalate (transfer) to a named user or the
 * department head. The actions go through the ordinary task commands, so they are checked,
 * logged in `task_actions` and announced exactly like a person's action; the caller
 * (commands/runTaskTimeout.ts) passes nested deps, so they run inside the job's transaction.
 */
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import type { CommandDeps } from '../commands/runCommand.ts';
import { completeTask } from '../commands/completeTask.ts';
import { returnTask } from '../commands/returnTask.ts';
import { transferTask } from '../commands/transferTask.ts';
import type { AuthUser } from '../identity/types.ts';
import { notify, notifyWith } from '../notifications/notify.ts';
import { findInstance } from '../store/instances.ts';
import type { TaskRow } from '../store/tasks.ts';
import { getMessageTemplate } from '../store/templates.ts';
import { addDuration, type IsoDuration } from '../timers/iso.ts';
import { activeMemberUsernames, departmentHeadChain } from '../store/departments.ts';
import { passedUserTasks } from '../store/history.ts';
import { nodeKindOf } from './nodeSettings.ts';
import { BUILT_IN_REMINDERS, byLocale, durationWords } from './reminderMessages.ts';
import { ESCALATE_TO_HEAD, timeoutDuration, type TimeoutSettings } from './timeoutSettings.ts';

/**
 * Who acts when a timeout does: not a row in `users` (nobody can log in as it), an admin so
 * `mayWorkOn` lets it act on any task. `task_actions.actor` and `tasks.completed_by` say
 * `system`. The username `system` is therefore reserved for this actor.
 */
export const SYSTEM_ACTOR: AuthUser = {
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  displayName: '系统 / System',
  role: 'admin',
  locale: 'zh-CN',
  departmentIds: [],
  roles: ['admin'],
  groups: ['admin'],
};

const COMMENTS = {
  approve: (after: string) => `超时自动同意 / auto-approved after timeout (${after})`,
  submit: (after: string) => `超时自动提交 / auto-submitted after timeout (${after})`,
  return: (after: string) => `超时自动退回 / auto-returned after timeout (${after})`,
  escalate: (after: string) => `超时自动转交 / escalated after timeout (${after})`,
};

/** Runs the node's timeout action on `task` (open, its instance locked by the caller). */
export async function runTimeoutAction(
  deps: CommandDeps,
  task: TaskRow,
  process: CompiledProcess,
  settings: TimeoutSettings,
): Promise<void> {
  const after = settings.after ?? '';
  const base = { taskId: task.id, actor: SYSTEM_ACTOR };
  switch (settings.action) {
    case 'approve':
      // No data is submitted, so the form check has nothing to look at; the node's field
      // permissions still apply (an empty required field makes this fail → incident).
      // At a fill-in node it submits the form as it stands (a decision is not its to make).
      if (nodeKindOf(process.nodes[task.elementId]!) === 'fillIn') {
        await completeTask(deps, { ...base, variables: {}, submit: true, comment: COMMENTS.submit(after) });
      } else {
        await completeTask(deps, { ...base, variables: {}, decision: 'approve', comment: COMMENTS.approve(after) });
      }
      return;
    case 'return': {
      const toElementId = settings.returnTo ?? (await previousUserTask(deps, task, process));
      if (!toElementId) throw new Error(`Timeout of task ${task.id} at "${task.elementId}": there is no earlier user task to return to`);
      await returnTask(deps, { ...base, toElementId, comment: COMMENTS.return(after) });
      return;
    }
    case 'escalate': {
      const to = settings.escalateTo === ESCALATE_TO_HEAD ? await headFor(deps, task) : settings.escalateTo!;
      await transferTask(deps, { ...base, to, comment: COMMENTS.escalate(after) });
      return;
    }
    default:
      throw new Error(`Timeout of task ${task.id}: unknown action "${settings.action}"`);
  }
}

/** The user task of the same scope this instance finished most recently. */
async function previousUserTask(deps: CommandDeps, task: TaskRow, process: CompiledProcess): Promise<string | null> {
  const scopeId = process.nodes[task.elementId]?.scopeId;
  const passed = await passedUserTasks(deps.db, task.instanceId, task.elementId);
  return passed.find((id) => process.nodes[id]?.type === 'userTask' && process.nodes[id]!.scopeId === scopeId) ?? null;
}

/** The head of the current assignee's department (of the parent one if they are the head). */
async function headFor(deps: CommandDeps, task: TaskRow): Promise<string> {
  if (!task.assignee) {
    throw new Error(`Timeout of task ${task.id}: escalateTo="head" needs an assignee, but the task is not assigned to anyone`);
  }
  const head = (await departmentHeadChain(deps.db, task.assignee)).find((username) => username !== null) ?? null;
  if (!head) throw new Error(`Timeout of task ${task.id}: no active department head above "${task.assignee}"`);
  return head;
}

// ---- reminders --------------------------------------------------------------------------

/**
 * Message templates an admin may store to word reminders: `task_due` (the key-account app
 * ships it, in-app) and `task_due_email`. Each stored one is sent on its channel; when none
 * of them is in-app, the built-in in-app message below is sent, so the assignee always hears.
 */
export const REMIND_TEMPLATE_KEYS = ['task_due', 'task_due_email'] as const;

/** Who is reminded: the assignee, else the candidate users and members of candidate departments. */
async function recipients(deps: CommandDeps, task: TaskRow): Promise<string[]> {
  if (task.assignee) return [task.assignee];
  const members = await activeMemberUsernames(deps.db, task.candidateGroups);
  return [...new Set([...task.candidateUsers, ...members])];
}

export async function remindTask(deps: CommandDeps, task: TaskRow, node: FlowNode, settings: TimeoutSettings): Promise<string[]> {
  const to = await recipients(deps, task);
  if (to.length === 0) return [];
  const instance = await findInstance(deps.db, task.instanceId);
  const after = timeoutDuration(settings.after);
  const data = {
    ...(instance?.variables ?? {}),
    taskId: task.id,
    taskName: task.name ?? node.name ?? node.id,
    elementId: task.elementId,
    instanceId: task.instanceId,
    assignee: task.assignee,
    remindAfter: settings.remindAfter,
    createdAt: task.createdAt,
    dueAt: after ? addDuration(task.createdAt, after) : task.dueAt,
  };
  const link = `/tasks/${task.id}`;
  let inApp = false;
  for (const key of REMIND_TEMPLATE_KEYS) {
    if (!(await getMessageTemplate(deps.db, key))) continue;
    const sent = await notify({ db: deps.db, events: deps.events }, { template: key, to, data, link });
    inApp ||= sent.channel === 'inApp';
  }
  if (!inApp) await builtInReminder(deps, to, data, link, timeoutDuration(settings.remindAfter));
  return to;
}

/** The built-in reminder, each recipient in their own language (reminderMessages.ts). */
async function builtInReminder(deps: CommandDeps, usernames: string[], data: Record<string, unknown>, link: string, waited: IsoDuration | null): Promise<void> {
  for (const [locale, to] of await byLocale(deps.db, usernames)) {
    const remindAfterText = waited ? durationWords(waited, locale) : data.remindAfter;
    await notifyWith({ db: deps.db, events: deps.events }, BUILT_IN_REMINDERS[locale], { to, data: { ...data, remindAfterText }, link });
  }
}
