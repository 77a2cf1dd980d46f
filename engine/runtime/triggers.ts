/**
 * Delivering a fired message, signal or timer to the token (or scope) that waits for it:
 * a catch event or receive task moves on, a boundary event fires on its host, an
 * event-based gateway takes the branch of the event that came first, an event
 * sub-process starts.
 */
import { ConflictError } from '../errors.ts';
import { fireBoundaryEvent } from './boundaryEvents.ts';
import { startEventSubProcess } from './eventSubProcesses.ts';
import type { Step } from './services.ts';
import { scopeOfEventSubProcessOwner } from './state.ts';
import { setVariables } from './variables.ts';

export async function fireEvent(
  step: Step,
  ownerId: string,
  elementId: string,
  variables: Record<string, unknown>,
): Promise<void> {
  const { run } = step;
  const node = run.node(elementId);
  const scopeId = scopeOfEventSubProcessOwner(ownerId);
  if (scopeId !== null) {
    const scope = run.execution(scopeId);
    setVariables(run.state, scope, variables);
    await startEventSubProcess(step, scope, node);
    return;
  }
  const execution = run.findExecution(ownerId);
  if (!execution) throw new ConflictError(`The token waiting at "${elementId}" has already moved on`, 'execution_gone');
  setVariables(run.state, execution, variables);
  if (node.type === 'boundaryEvent' && node.attachedToId === execution.elementId) {
    await fireBoundaryEvent(step, execution, node);
    return;
  }
  if (execution.elementId === elementId && execution.status === 'waiting') {
    await step.ops.leaveNode(step, execution);
    return;
  }
  if (run.node(execution.elementId).type === 'eventBasedGateway') {
    // The first event wins: the gateway's other waits go with release().
    run.endHistory(execution);
    run.release(execution);
    await step.ops.passThrough(step, execution, elementId);
    return;
  }
  throw new ConflictError(`The token of "${execution.elementId}" does not wait for "${elementId}"`, 'not_waiting');
}
