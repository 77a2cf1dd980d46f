/**
 * Approval's part of compiling a model (a compile listener): unknown approval modes, assignee
 * types or fallbacks and bad `liuzhuan:timeout` settings refuse the deploy, each naming its node.
 */
import type { CompileListener } from '../extensions/compileListeners.ts';
import { approvalProblems, approvalWithoutAssignees } from './settings.ts';
import { timeoutProblems } from './timeoutSettings.ts';

export const approvalCompileChecks: CompileListener = {
  name: 'approval',
  checkNode(ctx, process, node) {
    const label = `${node.type} '${node.id}'`;
    // liuzhuan:approval (assignee rules, 会签/或签/依次): unknown mode/type/fallback refuse the deploy.
    for (const message of approvalProblems(node)) ctx.problem(node.id, message);
    if (approvalWithoutAssignees(node) && !node.multiInstance) {
      ctx.warn(node.id, `${label}: liuzhuan:approval names no liuzhuan:assignee, so its mode has no effect`);
    }
    // liuzhuan:timeout (remind / auto-approve / return / escalate): bad settings refuse the deploy.
    const timeout = timeoutProblems(process, node);
    for (const message of timeout.problems) ctx.problem(node.id, message);
    for (const message of timeout.warnings) ctx.warn(node.id, message);
  },
};
