/**
 * Who approves at a node: the `liuzhuan:assignee` rules resolved, in rule order, to distinct
 * ACTIVE usernames (unknown or inactive names are dropped, so a stale model never hands a
 * task to nobody). Runs inside the command's transaction, so it sees the organisation as
 * the command does.
 *
 * - `user`: the comma-separated usernames; `role`: users with that role (by username);
 *   `department`: members of the department with that code (by username); `departmentHead`:
 *   its head.
 * - `submitter` (发起人): the instance's `startedBy`. `submitterDepartment` (members | head):
 *   the submitter's own department (store/departments.ts `primaryDepartmentCode`, the one the
 *   head chain starts from) — its members (the submitter too) or its head as the department
 *   names it (the submitter, when they head it; `submitterHead` climbs past them instead).
 * - `submitterHead` (level n): the n-th head above the instance's `startedBy` user
 *   (store/departments.ts `departmentHeadChain`: the first department by code; a head's own
 *   level 1 is the parent department's head). A missing department, parent or head, or an
 *   inactive head, yields nobody (the node's fallback applies).
 * - `nodeHandler` (an element id): whoever completed that node's tasks in its latest run in
 *   this instance (a completion in this very command counts); not run yet → nobody.
 * - `memberField`: the username(s) in a variable (text, comma-separated text or a list).
 *   `departmentField` (field, members | head): the department code(s) in a variable → their
 *   members or their heads.
 * - `feel`: a FEEL expression over the variables that must give a string or a list of
 *   strings; anything else is a 422 `invalid_assignees` (an incident when a job ran it).
 * - `routedDepartment` (members | head): the department the instance's record was routed to
 *   (routedDepartment.ts); an unrouted record yields nobody (the node's fallback applies).
 */
import type { FlowNode } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { ValidationError } from '../errors.ts';
import { evaluate } from '../runtime/expressions.ts';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import type { Execution } from '../runtime/state.ts';
import { activeHeadUsernames, activeMemberUsernames, departmentHeadChain, primaryDepartmentCode } from '../store/departments.ts';
import { tasksOfElement } from '../store/taskHandlers.ts';
import { activeUsernamesAmong, activeUsernamesOfRole } from '../store/users.ts';
import { routedDepartmentCandidates } from './routedDepartment.ts';
import type { AssigneeRule } from './settings.ts';

export async function resolveAssignees(
  db: Db,
  run: InstanceRun,
  execution: Execution,
  node: FlowNode,
  rules: AssigneeRule[],
): Promise<string[]> {
  const wanted: string[] = [];
  for (const rule of rules) wanted.push(...(await candidatesOf(db, run, execution, node, rule)));
  const distinct = [...new Set(wanted)];
  const active = await activeUsernamesAmong(db, distinct);
  return distinct.filter((username) => active.has(username));
}

/** Usernames one rule names (activity is checked once, for all rules, by the caller). */
async function candidatesOf(db: Db, run: InstanceRun, execution: Execution, node: FlowNode, rule: AssigneeRule): Promise<string[]> {
  switch (rule.type) {
    case 'user':
      return rule.usernames;
    case 'role':
      return activeUsernamesOfRole(db, rule.role);
    case 'department':
      return activeMemberUsernames(db, [rule.code]);
    case 'departmentHead':
      return activeHeadUsernames(db, [rule.code]);
    case 'submitter':
      return run.record.startedBy ? [run.record.startedBy] : [];
    case 'submitterDepartment': {
      const code = run.record.startedBy ? await primaryDepartmentCode(db, run.record.startedBy) : undefined;
      if (!code) return [];
      return rule.part === 'head' ? activeHeadUsernames(db, [code]) : activeMemberUsernames(db, [code]);
    }
    case 'nodeHandler':
      return handlersOf(db, run, rule.elementId);
    case 'departmentField': {
      const codes = usernamesIn(run.variablesOf(execution)[rule.variable], node, `variable ${rule.variable}`, false, 'department code');
      return rule.part === 'head' ? activeHeadUsernames(db, codes) : activeMemberUsernames(db, codes);
    }
    case 'submitterHead': {
      const starter = run.record.startedBy;
      const head = starter ? (await departmentHeadChain(db, starter))[rule.level - 1] : null;
      return head ? [head] : [];
    }
    case 'memberField':
      return usernamesIn(run.variablesOf(execution)[rule.variable], node, `variable ${rule.variable}`);
    case 'feel':
      return usernamesIn(evaluate(run, execution, rule.expression), node, `FEEL ${rule.expression.source}`, true);
    case 'routedDepartment':
      return routedDepartmentCandidates(db, run, rule.part);
  }
}

/**
 * Who completed `elementId`'s tasks in its latest run that has a completion: the stored
 * completions plus those of this command, not yet written (the node just left hands over to
 * this one in the same transaction).
 */
async function handlersOf(db: Db, run: InstanceRun, elementId: string): Promise<string[]> {
  const tasks = await tasksOfElement(db, run.id, elementId);
  const completed = tasks.flatMap((task) => {
    const now = run.completedTaskIds.get(task.id);
    if (task.status === 'completed' && task.completedBy) return [{ ...task, completedBy: task.completedBy }];
    return task.status === 'open' && now ? [{ ...task, completedBy: now }] : [];
  });
  const latest = Math.max(...completed.map((task) => task.visitStartedAt?.getTime() ?? 0));
  return completed.filter((task) => (task.visitStartedAt?.getTime() ?? 0) === latest).map((task) => task.completedBy);
}

/** Text (comma-separated) or a list of texts; null/undefined is nobody. */
function usernamesIn(value: unknown, node: FlowNode, what: string, strict = false, noun = 'username'): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return value.split(',').map((name) => name.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((name) => name.trim()).filter(Boolean);
  }
  if (!strict && Array.isArray(value)) return [];
  throw new ValidationError(
    `The assignees of "${node.id}" (${what}) must be a ${noun} or a list of ${noun}s`,
    [{ pointer: node.id, message: `${what} gave ${JSON.stringify(value) ?? String(value)}` }],
    'invalid_assignees',
  );
}
