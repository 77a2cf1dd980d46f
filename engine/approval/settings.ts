/**
 * `<liuzhuan:approval mode fallback assignees><liuzhuan:assignee type value/>…` as the runtime
 * and the deploy check see it. The compiler keeps the element as plain JSON in
 * `FlowNode.extensions.approval` (`{mode, fallback, assignees, rules: [{type, value}]}`); this
 * file turns that into typed settings and lists what is wrong with it.
 */
import type { ExpressionSource, FlowNode } from '../bpmn/model.ts';
import { checkExpression, classifyExpression } from '../expressions/index.ts';

export type ApprovalMode = 'single' | 'all' | 'any' | 'sequential';
export const APPROVAL_MODES: readonly ApprovalMode[] = ['single', 'all', 'any', 'sequential'];

export type ApprovalFallback = 'admin' | 'skip';
export const APPROVAL_FALLBACKS: readonly ApprovalFallback[] = ['admin', 'skip'];

export type AssigneeRule =
  | { type: 'user'; usernames: string[] }
  | { type: 'role'; role: string }
  | { type: 'department'; code: string }
  /** Level 1 = head of the submitter's department, 2 = that head's head, … */
  | { type: 'submitterHead'; level: number }
  | { type: 'memberField'; variable: string }
  | { type: 'feel'; expression: ExpressionSource }
  /** The department the instance's record was routed to: its members as candidates, or its head (routedDepartment.ts). */
  | { type: 'routedDepartment'; part: 'members' | 'head' };

export const ASSIGNEE_TYPES = ['user', 'role', 'department', 'submitterHead', 'memberField', 'feel', 'routedDepartment'] as const;

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
  problems: string[];
}

/** Reads the JSON; unknown values become problems (deploy refuses them), never guesses. */
function parse(node: FlowNode): Parsed {
  const elements = asList(node.extensions?.approval);
  if (elements.length === 0) return { settings: undefined, problems: [] };
  const problems: string[] = [];
  const label = `${node.type} '${node.id}'`;
  if (elements.length > 1) problems.push(`${label} has ${elements.length} liuzhuan:approval elements; keep one`);
  const element = record(elements[0]);
  const mode = trimmed(element.mode) ?? 'single';
  if (!APPROVAL_MODES.includes(mode as ApprovalMode)) {
    problems.push(`${label}: liuzhuan:approval mode '${mode}' is unknown (use ${APPROVAL_MODES.join(', ')})`);
  }
  const fallback = trimmed(element.fallback) ?? 'admin';
  if (!APPROVAL_FALLBACKS.includes(fallback as ApprovalFallback)) {
    problems.push(`${label}: liuzhuan:approval fallback '${fallback}' is unknown (use ${APPROVAL_FALLBACKS.join(', ')})`);
  }
  const rules: AssigneeRule[] = [];
  // The older attribute form `assignees="u1,u2"` is a user rule that comes first.
  const listed = trimmed(element.assignees);
  if (listed) rules.push({ type: 'user', usernames: commaList(listed) });
  asList(element.rules).forEach((raw, index) => {
    const rule = ruleOf(record(raw), `${label}: liuzhuan:assignee #${index + 1}`, problems);
    if (rule) rules.push(rule);
  });
  const settings = problems.length === 0 ? { mode: mode as ApprovalMode, fallback: fallback as ApprovalFallback, rules } : undefined;
  return { settings, problems };
}

function ruleOf(raw: Record<string, unknown>, label: string, problems: string[]): AssigneeRule | undefined {
  const type = trimmed(raw.type);
  const value = trimmed(raw.value);
  const needValue = () => {
    if (value === undefined) problems.push(`${label} of type '${type}' needs a value`);
    return value !== undefined;
  };
  switch (type) {
    case 'user':
      return needValue() ? { type, usernames: commaList(value!) } : undefined;
    case 'role':
      return needValue() ? { type, role: value! } : undefined;
    case 'department':
      return needValue() ? { type, code: value! } : undefined;
    case 'memberField':
      return needValue() ? { type, variable: value! } : undefined;
    case 'submitterHead': {
      const level = value === undefined ? 1 : Number(value);
      if (!Number.isInteger(level) || level < 1 || level > 20) {
        problems.push(`${label}: submitterHead level '${value}' is not a whole number from 1 to 20`);
        return undefined;
      }
      return { type, level };
    }
    case 'feel': {
      if (!needValue()) return undefined;
      const classified = classifyExpression(value!, 'feel');
      if (classified.language !== 'feel') {
        problems.push(`${label}: '${value}' is not FEEL (\${…} is JUEL)`);
        return undefined;
      }
      const expression = { language: 'feel' as const, source: classified.source.trim() };
      const error = checkExpression(expression);
      if (error) problems.push(`${label}: FEEL '${value}' does not parse: ${error}`);
      return error ? undefined : { type, expression };
    }
    case 'routedDepartment':
      if (value === 'members' || value === 'head') return { type, part: value };
      problems.push(`${label}: routedDepartment value '${value ?? ''}' is unknown (use members or head)`);
      return undefined;
    default:
      problems.push(`${label}: type '${type ?? ''}' is unknown (use ${ASSIGNEE_TYPES.join(', ')})`);
      return undefined;
  }
}

/** The problems a deploy reports for the node's approval settings (empty when fine). */
export function approvalProblems(node: FlowNode): string[] {
  const { settings, problems } = parse(node);
  if (settings && settings.rules.length > 0 && node.multiInstance) {
    problems.push(
      `${node.type} '${node.id}': liuzhuan:approval with assignees replaces multiInstanceLoopCharacteristics; remove one of them`,
    );
  }
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
