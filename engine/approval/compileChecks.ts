/**
 * Approval's part of compiling a model (a compile listener): unknown approval modes, assignee
 * types or fallbacks, a handler rule naming no earlier user task, an action list that cannot
 * complete the task, and bad `liuzhuan:timeout` settings refuse the deploy, each naming its
 * node. Approval's own problems carry a stable `code` and `params` (ErrorDetail), so the
 * designer can say them in the admin's words. The checks that need the bound form (member and
 * department fields) run in the deploy transaction: assigneeFieldChecks.ts.
 */
import type { CompileListener } from '../extensions/compileListeners.ts';
import { actionProblems } from './nodeSettings.ts';
import { approvalProblems, approvalWithoutAssignees } from './settings.ts';
import { timeoutProblems } from './timeoutSettings.ts';

export const approvalCompileChecks: CompileListener = {
  name: 'approval',
  checkNode(ctx, process, node) {
    const label = `${node.type} '${node.id}'`;
    // liuzhuan:approval (assignee rules, 会签/或签/依次): unknown mode/type/fallback refuse the deploy.
    for (const { message, code, params } of approvalProblems(node, process)) ctx.problem(node.id, message, { code, params });
    if (approvalWithoutAssignees(node) && !node.multiInstance) {
      ctx.warn(node.id, `${label}: liuzhuan:approval names no liuzhuan:assignee, so its mode has no effect`, {
        code: 'approval_mode_without_assignees',
        params: { node: node.id },
      });
    }
    // liuzhuan:actions: a user task nobody can complete would strand every instance that reaches it.
    for (const { message, code, params } of actionProblems(node)) ctx.problem(node.id, message, { code, params });
    // liuzhuan:timeout (remind / auto-approve / return / escalate): bad settings refuse the deploy.
    const timeout = timeoutProblems(process, node);
    for (const message of timeout.problems) ctx.problem(node.id, message);
    for (const message of timeout.warnings) ctx.warn(node.id, message);
  },
};
