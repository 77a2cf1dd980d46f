/** End events: none, terminate, error, signal (message ends are plain ends here). */
import { endWithError } from '../bpmnErrors.ts';
import type { Behavior } from '../services.ts';

export const endEvent: Behavior = {
  async enter(step, execution, node) {
    const { run } = step;
    const event = node.event;
    if (event?.type === 'error') {
      await endWithError(step, execution, event.errorCode);
      return;
    }
    if (event?.type === 'signal') {
      await step.services.throwSignal(run, event.signalName, {});
    }
    run.endHistory(execution);
    if (event?.type === 'terminate') {
      const scope = run.parentOf(execution)!;
      if (scope.parentId === null) {
        await step.ops.completeInstance(step, 'terminated');
        return;
      }
      // Inside a sub-process, terminate ends just that sub-process, which then completes.
      for (const gone of run.removeChildren(scope, true)) {
        if (gone.calledInstanceId) await step.services.terminateCalledInstance(gone.calledInstanceId);
      }
      await step.ops.completeScopeIfEmpty(step, scope);
      return;
    }
    await step.ops.endExecution(step, execution);
  },
};
