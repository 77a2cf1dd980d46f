/**
 * `<liuzhuan:timeout remindAfter="PT4H" after="P1D" action="approve|return|escalate"
 * escalateTo="zhaoliu|head" returnTo="draft"/>` on a user task: read it from
 * `FlowNode.extensions` (plain JSON, like nodeSettings.ts) and check it at deploy time, so a
 * typo is a 422 naming the element rather than an incident a day later.
 */
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import { approxMs, parseDuration, type IsoDuration } from '../timers/iso.ts';
import { allowedActionsOf, nodeKindOf, type ApprovalAction } from './nodeSettings.ts';

export type TimeoutAction = 'approve' | 'return' | 'escalate';
export const TIMEOUT_ACTIONS: readonly TimeoutAction[] = ['approve', 'return', 'escalate'];

/** `escalateTo="head"`: the head of the current assignee's department (see timeoutActions.ts). */
export const ESCALATE_TO_HEAD = 'head';

export interface TimeoutSettings {
  remindAfter?: string;
  after?: string;
  action?: string;
  escalateTo?: string;
  returnTo?: string;
}

/** The node action each timeout action performs, which the node must allow. */
const NODE_ACTION: Record<TimeoutAction, ApprovalAction> = { approve: 'approve', return: 'return', escalate: 'transfer' };

function asList(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => item && typeof item === 'object') as Record<string, unknown>[];
}

function attr(element: Record<string, unknown>, name: keyof TimeoutSettings): string | undefined {
  const value = element[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The node's timeout settings, or null when it has none (the first element if repeated). */
export function timeoutSettingsOf(node: FlowNode): TimeoutSettings | null {
  const [element] = asList(node.extensions?.timeout);
  if (!element) return null;
  const settings: TimeoutSettings = {};
  for (const name of ['remindAfter', 'after', 'action', 'escalateTo', 'returnTo'] as const) {
    const value = attr(element, name);
    if (value !== undefined) settings[name] = name === 'action' ? value.toLowerCase() : value;
  }
  return settings;
}

/** A duration already checked at deploy; null if it somehow is not one (never throws). */
export function timeoutDuration(text: string | undefined): IsoDuration | null {
  if (!text) return null;
  try {
    return parseDuration(text);
  } catch {
    return null;
  }
}

/**
 * Problems with the node's timeout (each one a deploy 422 detail on the node's id), and
 * warnings that do not stop a deploy.
 */
export function timeoutProblems(process: CompiledProcess, node: FlowNode): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const elements = asList(node.extensions?.timeout);
  if (elements.length === 0) return { problems, warnings };
  const label = `${node.type} '${node.id}': liuzhuan:timeout`;
  if (node.type !== 'userTask') problems.push(`${label} is only allowed on user tasks`);
  if (elements.length > 1) problems.push(`${label} appears ${elements.length} times; keep one`);
  const settings = timeoutSettingsOf(node)!;

  const durations: Partial<Record<'remindAfter' | 'after', number>> = {};
  for (const name of ['remindAfter', 'after'] as const) {
    const text = settings[name];
    if (text === undefined) continue;
    const duration = timeoutDuration(text);
    if (!duration) problems.push(`${label} ${name}="${text}" is not an ISO 8601 duration (e.g. PT4H, P1D, P1DT12H)`);
    else if (approxMs(duration) <= 0) problems.push(`${label} ${name}="${text}" must be longer than zero`);
    else durations[name] = approxMs(duration);
  }
  if (settings.remindAfter === undefined && settings.after === undefined) {
    problems.push(`${label} sets neither remindAfter nor after`);
  }
  if (settings.after !== undefined && settings.action === undefined) {
    problems.push(`${label} after="${settings.after}" needs an action (${TIMEOUT_ACTIONS.join(', ')})`);
  }
  if (settings.action !== undefined && settings.after === undefined) {
    problems.push(`${label} action="${settings.action}" needs an after duration`);
  }
  if (durations.remindAfter !== undefined && durations.after !== undefined && durations.remindAfter >= durations.after) {
    warnings.push(`${label} remindAfter is not before after: the reminder will never be sent`);
  }

  const action = settings.action as TimeoutAction | undefined;
  if (action === undefined) return { problems, warnings };
  if (!TIMEOUT_ACTIONS.includes(action)) {
    problems.push(`${label} action="${settings.action}" is unknown (expected ${TIMEOUT_ACTIONS.join(', ')})`);
    return { problems, warnings };
  }
  // At a fill-in node (填写节点) the automatic "approve" submits the form as it stands.
  const needed = action === 'approve' && nodeKindOf(node) === 'fillIn' ? 'submit' : NODE_ACTION[action];
  if (!allowedActionsOf(node).includes(needed)) {
    problems.push(`${label} action="${action}" needs the node action "${needed}", which the node does not allow`);
  }
  if (action === 'escalate' && settings.escalateTo === undefined) {
    problems.push(`${label} action="escalate" needs escalateTo (a username, or "${ESCALATE_TO_HEAD}" for the department head)`);
  }
  if (action === 'return' && settings.returnTo !== undefined) {
    const target = process.nodes[settings.returnTo];
    if (!target) problems.push(`${label} returnTo="${settings.returnTo}" is not a node of this process`);
    else if (target.type !== 'userTask') problems.push(`${label} returnTo="${settings.returnTo}" is a ${target.type}, not a user task`);
    else if (target.id === node.id) problems.push(`${label} returnTo="${settings.returnTo}" is the node itself`);
    else if (target.scopeId !== node.scopeId) problems.push(`${label} returnTo="${settings.returnTo}" is in another scope`);
  }
  return { problems, warnings };
}
