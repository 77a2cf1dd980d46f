/**
 * `<liuzhuan:approval mode fallback assignees><liuzhuan:assignee type value/>…` as the runtime
 * and the deploy check see it. The compiler keeps the element as plain JSON in
 * `FlowNode.extensions.approval` (`{mode, fallback, assignees, rules: [{type, value}]}`); this
 * file turns that into typed settings and lists what is wrong with it.
 */
import type { CompiledProcess, ExpressionSource, FlowNode } from '../bpmn/model.ts';
import { checkExpression, classifyExpression } from '../expressions/index.ts';
import { quoteExpression } from '../expressions/errors.ts';

export type ApprovalMode = 'single' | 'all' | 'any' | 'sequential';
export const APPROVAL_MODES: readonly ApprovalMode[] = ['single', 'all', 'any', 'sequential'];

export type ApprovalFallback = 'admin' | 'skip';
export const APPROVAL_FALLBACKS: readonly ApprovalFallback[] = ['admin', 'skip'];

/** A department as approvers: all its active members, or its head. */
export type DepartmentPart = 'members' | 'head';
export const DEPARTMENT_PARTS: readonly DepartmentPart[] = ['members', 'head'];

/** The most levels a head rule may climb (a deeper organisation is not a real one). */
export const MAX_HEAD_LEVEL = 20;

export type AssigneeRule =
  | { type: 'user'; usernames: string[] }
  | { type: 'role'; role: string }
  /** Members of the department with that code. */
  | { type: 'department'; code: string }
  /** The head of the department with that code. */
  | { type: 'departmentHead'; code: string }
  /** 发起人: the instance's `startedBy`. */
  | { type: 'submitter' }
  /** The submitter's department (the first by code): its members or its head. */
  | { type: 'submitterDepartment'; part: DepartmentPart }
  /** Level 1 = head of the submitter's department, 2 = that head's head, … (发起人的第 N 级主管) */
  | { type: 'submitterHead'; level: number }
  /** Whoever completed the tasks of an earlier node `elementId` in this instance (its latest run). */
  | { type: 'nodeHandler'; elementId: string }
  /** A form field (variable) holding username(s). */
  | { type: 'memberField'; variable: string }
  /** A form field (variable) holding department code(s): their members or their heads. */
  | { type: 'departmentField'; variable: string; part: DepartmentPart }
  | { type: 'feel'; expression: ExpressionSource }
  /** 分派到的部门: the department the instance's record was routed to — its members or its head (routedDepartment.ts). */
  | { type: 'routedDepartment'; part: DepartmentPart };

export const ASSIGNEE_TYPES = [
  'user',
  'role',
  'department',
  'departmentHead',
  'submitter',
  'submitterDepartment',
  'submitterHead',
  'nodeHandler',
  'memberField',
  'departmentField',
  'feel',
  'routedDepartment',
] as const;

/**
 * One reason a node's approval settings cannot be deployed: a stable `code`, the message
 * naming the node, and the values (`params`) a client needs to say it in the admin's words.
 */
export interface SettingsProblem {
  code: string;
  message: string;
  params: Record<string, string | number>;
}

export interface ApprovalSettings {
  mode: ApprovalMode;
  fallback: ApprovalFallback;
  rules: AssigneeRule[];
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

const trimmed = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const commaList = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);

interface Parsed {
  settings: ApprovalSettings | undefined;
  problems: SettingsProblem[];
}

/** Reads the JSON; unknown values become problems (deploy refuses them), never guesses. */
function parse(node: FlowNode): Parsed {
  const elements = asList(node.extensions?.approval);
  if (elements.length === 0) return { settings: undefined, problems: [] };
  const problems: SettingsProblem[] = [];
  const label = `${node.type} '${node.id}'`;
  const problem = (code: string, message: string, params: Record<string, string | number> = {}) =>
    problems.push({ code, message, params: { node: node.id, ...params } });
  if (elements.length > 1) problem('approval_repeated', `${label} has ${elements.length} liuzhuan:approval elements; keep one`);
  const element = record(elements[0]);
  const mode = trimmed(element.mode) ?? 'single';
  if (!APPROVAL_MODES.includes(mode as ApprovalMode)) {
    problem('unknown_approval_mode', `${label}: liuzhuan:approval mode '${mode}' is unknown (use ${APPROVAL_MODES.join(', ')})`, { mode });
  }
  const fallback = trimmed(element.fallback) ?? 'admin';
  if (!APPROVAL_FALLBACKS.includes(fallback as ApprovalFallback)) {
    problem('unknown_approval_fallback', `${label}: liuzhuan:approval fallback '${fallback}' is unknown (use ${APPROVAL_FALLBACKS.join(', ')})`, { fallback });
  }
  const rules: AssigneeRule[] = [];
  // The older attribute form `assignees="u1,u2"` is a user rule that comes first.
  const listed = trimmed(element.assignees);
  if (listed) rules.push({ type: 'user', usernames: commaList(listed) });
  asList(element.rules).forEach((raw, index) => {
    const rule = ruleOf(record(raw), `${label}: liuzhuan:assignee #${index + 1}`, (code, message, params = {}) =>
      problem(code, message, { rule: index + 1, ...params }),
    );
    if (rule) rules.push(rule);
  });
  const settings = problems.length === 0 ? { mode: mode as ApprovalMode, fallback: fallback as ApprovalFallback, rules } : undefined;
  return { settings, problems };
}

type Report = (code: string, message: string, params?: Record<string, string | number>) => void;

/** `members` (the default) or `head`; anything else is reported. */
function partOf(text: string | undefined, label: string, report: Report): DepartmentPart | undefined {
  const part = text ?? 'members';
  if (DEPARTMENT_PARTS.includes(part as DepartmentPart)) return part as DepartmentPart;
  report('unknown_department_part', `${label}: '${part}' must be ${DEPARTMENT_PARTS.join(' or ')}`, { part });
  return undefined;
}

function ruleOf(raw: Record<string, unknown>, label: string, report: Report): AssigneeRule | undefined {
  const type = trimmed(raw.type);
  const value = trimmed(raw.value);
  const needValue = () => {
    if (value === undefined) report('assignee_value_missing', `${label} of type '${type}' needs a value`, { type: type ?? '' });
    return value !== undefined;
  };
  switch (type) {
    case 'user':
      return needValue() ? { type, usernames: commaList(value!) } : undefined;
    case 'role':
      return needValue() ? { type, role: value! } : undefined;
    case 'department':
      return needValue() ? { type, code: value! } : undefined;
    case 'departmentHead':
      return needValue() ? { type, code: value! } : undefined;
    case 'submitter':
      return { type };
    case 'submitterDepartment': {
      const part = partOf(value, `${label} (submitterDepartment)`, report);
      return part ? { type, part } : undefined;
    }
    case 'memberField':
      return needValue() ? { type, variable: value! } : undefined;
    case 'departmentField': {
      if (!needValue()) return undefined;
      // `dept` → its members; `dept:head` → its head (`dept:members` says the default).
      const at = value!.lastIndexOf(':');
      const variable = at > 0 ? value!.slice(0, at).trim() : value!;
      const part = partOf(at > 0 ? value!.slice(at + 1).trim() : undefined, `${label} (departmentField '${value}')`, report);
      return part ? { type, variable, part } : undefined;
    }
    case 'nodeHandler':
      return needValue() ? { type, elementId: value! } : undefined;
    case 'submitterHead': {
      const level = value === undefined ? 1 : Number(value);
      if (!Number.isInteger(level) || level < 1 || level > MAX_HEAD_LEVEL) {
        report(
          'head_level_out_of_range',
          `${label}: submitterHead level '${value}' is not a whole number from 1 to ${MAX_HEAD_LEVEL}`,
          { level: value ?? '', max: MAX_HEAD_LEVEL },
        );
        return undefined;
      }
      return { type, level };
    }
    case 'feel': {
      if (!needValue()) return undefined;
      const classified = classifyExpression(value!, 'feel');
      if (classified.language !== 'feel') {
        report('assignee_not_feel', `${label}: ${quoteExpression(value!, "'")} is not FEEL (\${…} is JUEL)`, { expression: quoteExpression(value!, '') });
        return undefined;
      }
      const expression = { language: 'feel' as const, source: classified.source.trim() };
      const error = checkExpression(expression);
      if (error) report('assignee_feel_invalid', `${label}: FEEL ${quoteExpression(value!, "'")} does not parse: ${error}`, { expression: quoteExpression(value!, ''), error });
      return error ? undefined : { type, expression };
    }
    case 'routedDepartment': {
      const part = partOf(value, `${label} (routedDepartment)`, report);
      return part ? { type, part } : undefined;
    }
    default:
      report('unknown_assignee_type', `${label}: type '${type ?? ''}' is unknown (use ${ASSIGNEE_TYPES.join(', ')})`, { type: type ?? '' });
      return undefined;
  }
}

/** The problems a deploy reports for the node's approval settings (empty when fine). */
export function approvalProblems(node: FlowNode, process?: CompiledProcess): SettingsProblem[] {
  const { settings, problems } = parse(node);
  if (settings && settings.rules.length > 0 && node.multiInstance) {
    problems.push({
      code: 'approval_with_multi_instance',
      message: `${node.type} '${node.id}': liuzhuan:approval with assignees replaces multiInstanceLoopCharacteristics; remove one of them`,
      params: { node: node.id },
    });
  }
  if (settings && process) problems.push(...handlerNodeProblems(node, process, settings.rules));
  return problems;
}

/** `nodeHandler` must name another user task of the same process (whose tasks someone completes). */
function handlerNodeProblems(node: FlowNode, process: CompiledProcess, rules: AssigneeRule[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  rules.forEach((rule, index) => {
    if (rule.type !== 'nodeHandler') return;
    const label = `${node.type} '${node.id}': liuzhuan:assignee #${index + 1} (nodeHandler)`;
    const params = { node: node.id, rule: index + 1, handlerNode: rule.elementId };
    const target = process.nodes[rule.elementId];
    if (!target) {
      problems.push({ code: 'unknown_handler_node', message: `${label}: there is no node '${rule.elementId}' in this process; choose an earlier node`, params });
    } else if (target.id === node.id) {
      problems.push({ code: 'handler_node_is_self', message: `${label}: a node cannot be handled by its own handler; choose an earlier node`, params });
    } else if (target.type !== 'userTask') {
      problems.push({
        code: 'handler_node_not_user_task',
        message: `${label}: '${rule.elementId}' is a ${target.type}, which nobody handles; choose an earlier user task`,
        params,
      });
    }
  });
  return problems;
}

/**
 * The settings when the node is an approval node: a `liuzhuan:approval` that names assignees.
 * Without assignees the element changes nothing and the node keeps its camunda assignment.
 */
export function approvalSettingsOf(node: FlowNode): ApprovalSettings | undefined {
  if (node.type !== 'userTask' || node.multiInstance) return undefined;
  const { settings } = parse(node);
  return settings && settings.rules.length > 0 ? settings : undefined;
}

/** True when a `liuzhuan:approval` element is present but names no assignee (a deploy warning). */
export function approvalWithoutAssignees(node: FlowNode): boolean {
  const { settings } = parse(node);
  return settings !== undefined && settings.rules.length === 0 && settings.mode !== 'single';
}
