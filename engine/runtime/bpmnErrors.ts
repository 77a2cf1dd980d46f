/**
 * BPMN errors (error end events): caught by the nearest enclosing error event sub-process
 * (which takes precedence, as in Camunda) or error boundary event, walking outwards, and
 * across a call activity into the calling instance.
 */
import type { FlowNode } from '../bpmn/model.ts';
import { fireBoundaryEvent } from './boundaryEvents.ts';
import { startEventOf, startEventSubProcess } from './eventSubProcesses.ts';
import type { Step } from './services.ts';
import type { Execution } from './state.ts';

function catches(node: FlowNode | undefined, errorCode: string | undefined): boolean {
  if (node?.event?.type !== 'error') return false;
  return !node.event.errorCode || node.event.errorCode === errorCode;
}

/** Throws `errorCode` from `thrower`; returns false when nothing in this instance caught it. */
export async function throwBpmnError(step: Step, thrower: Execution, errorCode: string | undefined): Promise<boolean> {
  const { run } = step;
  let scope = run.parentOf(thrower);
  while (scope) {
    const scopeId = scope.parentId === null ? run.process.id : scope.elementId;
    for (const eventSubProcessId of run.process.scopes[scopeId]?.eventSubProcessIds ?? []) {
      const start = startEventOf(step, eventSubProcessId);
      if (catches(start, errorCode)) {
        await startEventSubProcess(step, scope, start!);
        return true;
      }
    }
    if (scope.parentId !== null) {
      // The boundary sits on the activity; for a multi-instance activity that is the body.
      const parent = run.parentOf(scope)!;
      const host = scope.innerInstance ? parent : scope;
      const hostNode = run.node(host.elementId);
      const boundary = (hostNode.boundaryEventIds ?? []).map((id) => run.node(id)).find((node) => catches(node, errorCode));
      if (boundary) {
        await fireBoundaryEvent(step, host, boundary);
        return true;
      }
    }
    scope = run.parentOf(scope);
  }
  return false;
}

/** An error end event: throw, and if nothing catches it end the token like a none end event. */
export async function endWithError(step: Step, thrower: Execution, errorCode: string | undefined): Promise<void> {
  const { run } = step;
  const parent = run.parentOf(thrower)!;
  run.endHistory(thrower);
  if (await throwBpmnError(step, thrower, errorCode)) {
    if (run.findExecution(thrower.id)) run.removeTree(thrower, false);
    return;
  }
  if (run.record.parentInstanceId && (await step.services.throwErrorToCaller(run, errorCode))) return;
  run.removeTree(thrower, false);
  await step.ops.completeScopeIfEmpty(step, parent);
}
