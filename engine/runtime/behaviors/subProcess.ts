/** Embedded sub-process: the token becomes a scope holding a token at the inner start event. */
import { ValidationError } from '../../errors.ts';
import { armEventSubProcesses } from '../eventSubProcesses.ts';
import { schedule } from '../agenda.ts';
import type { Behavior } from '../services.ts';

export const subProcess: Behavior = {
  enter(step, execution, node) {
    const { run } = step;
    const scope = run.process.scopes[node.id];
    const startId = scope?.noneStartEventIds[0];
    if (!scope || !startId) {
      throw new ValidationError(`Sub-process "${node.id}" has no none start event`, [
        { pointer: node.id, message: 'a sub-process needs a none start event' },
      ], 'no_start_event');
    }
    execution.status = 'waiting';
    execution.variables ??= {};
    armEventSubProcesses(step, execution, node.id);
    const token = run.newExecution(execution, startId);
    schedule(step, () => step.ops.enterNode(step, token, startId));
  },
};
