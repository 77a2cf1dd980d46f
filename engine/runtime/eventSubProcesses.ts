/** Event sub-processes: armed when their scope starts, started by their start event's trigger. */
import type { FlowNode } from '../bpmn/model.ts';
import type { Step } from './services.ts';
import { eventSubProcessOwner, type Execution } from './state.ts';
import { listenFor } from './waits.ts';

/** The start event of an event sub-process (the one with an event definition). */
export function startEventOf(step: Step, eventSubProcessId: string): FlowNode | undefined {
  const scope = step.run.process.scopes[eventSubProcessId];
  if (!scope) return undefined;
  const ids = [...scope.eventStartEventIds, ...scope.noneStartEventIds];
  return ids.map((id) => step.run.node(id)).find((node) => node.event);
}

/** `scopeExecution` just started the scope `scopeId`: listen for its event sub-processes. */
export function armEventSubProcesses(step: Step, scopeExecution: Execution, scopeId: string): void {
  for (const eventSubProcessId of step.run.process.scopes[scopeId]?.eventSubProcessIds ?? []) {
    const start = startEventOf(step, eventSubProcessId);
    if (start?.event && start.event.type !== 'error') {
      listenFor(step, eventSubProcessOwner(scopeExecution.id), scopeExecution, start, start.event);
    }
  }
}

/** Starts the event sub-process whose start event is `start`, inside `scopeExecution`. */
export async function startEventSubProcess(step: Step, scopeExecution: Execution, start: FlowNode): Promise<void> {
  const { run } = step;
  if (start.interrupting !== false) {
    // Interrupting: the scope's other work and its other event sub-processes stop.
    for (const gone of run.removeChildren(scopeExecution, true)) {
      if (gone.calledInstanceId) await step.services.terminateCalledInstance(gone.calledInstanceId);
    }
    run.releaseOwner(eventSubProcessOwner(scopeExecution.id));
  }
  const eventSubProcess = run.node(start.scopeId);
  const holder = run.newExecution(scopeExecution, eventSubProcess.id);
  holder.status = 'waiting';
  run.startHistory(holder, eventSubProcess);
  holder.variables = {};
  armEventSubProcesses(step, holder, eventSubProcess.id);
  const token = run.newExecution(holder, start.id);
  await step.ops.passThrough(step, token, start.id);
}
