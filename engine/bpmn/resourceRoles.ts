/**
 * The standard BPMN way to assign a user task, as Camunda 7 reads it:
 *   <humanPerformer><resourceAssignmentExpression><formalExpression>kermit</…>  → assignee
 *   <potentialOwner>…<formalExpression>user(kermit), group(management), sales</…> → candidates
 * (a bare name in potentialOwner is a group). Roles that only point at a `<resource>` carry no
 * executable assignment and are ignored with a warning.
 */
import type { CompileContext } from './context.ts';
import { body, child, children, describe, type ModdleElement } from './moddleAccess.ts';

export interface ResourceAssignment {
  assignee?: string;
  candidateUsers: string[];
  candidateGroups: string[];
}

export function resourceAssignment(ctx: CompileContext, el: ModdleElement): ResourceAssignment {
  const result: ResourceAssignment = { candidateUsers: [], candidateGroups: [] };
  for (const role of children(el, 'resources')) {
    const expression = body(child(child(role, 'resourceAssignmentExpression'), 'expression'));
    if (expression === undefined) {
      ctx.warn(el.id, `${describe(el)}: ${describe(role)} has no formal expression and is ignored`);
      continue;
    }
    if (role.$type === 'bpmn:PotentialOwner') {
      for (const part of splitList(expression)) {
        const user = /^user\((.*)\)$/.exec(part);
        const group = /^group\((.*)\)$/.exec(part);
        if (user) result.candidateUsers.push(user[1].trim());
        else result.candidateGroups.push((group ? group[1] : part).trim());
      }
    } else if (role.$type === 'bpmn:HumanPerformer') {
      result.assignee = expression;
    } else {
      ctx.warn(el.id, `${describe(el)}: ${describe(role)} is ignored (use humanPerformer or potentialOwner)`);
    }
  }
  return result;
}

/** Splits on commas outside `${…}` / `#{…}` / parentheses, so expressions stay whole. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '{' || char === '(') depth++;
    if (char === '}' || char === ')') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}
