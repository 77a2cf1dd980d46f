/**
 * Approval's registrations with the engine's extension points (called once by
 * engine/features.ts): approval nodes as a user task handler, the deploy checks of approval
 * and timeout settings, the node timeouts' jobs at flush, and the `task:*` job handler.
 */
import { registerCompileListener } from '../extensions/compileListeners.ts';
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { registerJobHandler } from '../extensions/jobHandlers.ts';
import { registerUserTaskHandler } from '../extensions/userTaskHandlers.ts';
import { approvalCompileChecks } from './compileChecks.ts';
import { approvalTaskHandler } from './flow.ts';
import { runTaskJob } from './timeoutRunner.ts';
import { TASK_JOB_PREFIX, taskTimeoutsOnFlush } from './timeouts.ts';

export function registerApproval(): void {
  registerUserTaskHandler(approvalTaskHandler);
  registerCompileListener(approvalCompileChecks);
  registerFlushParticipant(taskTimeoutsOnFlush);
  registerJobHandler(TASK_JOB_PREFIX, async ({ deps, job, owner }) => {
    const ran = await runTaskJob(deps, job.id, owner);
    return ran.ran ? { ran: true } : { ran: false, reason: ran.reason };
  });
}
