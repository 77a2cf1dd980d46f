/**
 * Moving a waiting token to another node of its scope (an approver "returns" the record to
 * an earlier node). The activity is interrupted like an interrupting boundary event would
 * (its tasks, inner tokens, called instances and boundary waits go, history ends as
 * cancelled) and the same token then enters the target, which runs its behaviour afresh.
 * Variables are not touched: the record's data travels on as it is.
 */
import { interruptActivity } from './boundaryEvents.ts';
import type { Step } from './services.ts';
import type { Execution } from './state.ts';

/** The token that is "at the node": an inner instance of a multi-instance belongs to its body. */
export function hostOf(step: Step, execution: Execution): Execution {
  return execution.innerInstance ? step.run.parentOf(execution)! : execution;
}

export async function moveToken(step: Step, execution: Execution, targetId: string): Promise<void> {
  const host = hostOf(step, execution);
  await interruptActivity(step, host);
  await step.ops.enterNode(step, host, targetId);
}
