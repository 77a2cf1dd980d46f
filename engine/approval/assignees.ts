/**
 * Who approves at a node: the `liuzhuan:assignee` rules resolved, in rule order, to distinct
 * ACTIVE usernames (unknown or inactive names are dropped, so a stale model never hands a
 * task to nobody). Runs inside the command's transaction, so it sees the organisation as
 * the command does.
 *
 * - `user`: the comma-separated usernames; `role`: users with that role (by username);
 *   `department`: members of the department with that code (by username).
 * - `submitterHead` (level n): the n-th head above the instance's `startedBy` user
 *   (store/departments.ts `departmentHeadChain`: the first department by code; a head's own
 *   level 1 is the parent department's head). A missing department, parent or head, or an
 *   inactive head, yields nobody (the node's fallback applies).
 * - `memberField`: the username(s) in a variable (text, comma-separated text or a list).
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
import { activeMemberUsernames, departmentHeadChain } from '../store/departments.ts';
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

/** Text (comma-separated) or a list of texts; null/undefined is nobody. */
function usernamesIn(value: unknown, node: FlowNode, what: string, strict = false): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return value.split(',').map((name) => name.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((name) => name.trim()).filter(Boolean);
  }
  if (!strict && Array.isArray(value)) return [];
  throw new ValidationError(
    `The assignees of "${node.id}" (${what}) must be a username or a list of usernames`,
    [{ pointer: node.id, message: `${what} gave ${JSON.stringify(value) ?? String(value)}` }],
    'invalid_assignees',
  );
}
