/**
 * Call activity: starts the latest version of the called process with the mapped inputs,
 * waits for it, then copies the mapped outputs back (see returnFromCalledInstance).
 */
import type { VariableAssignment } from '../../bpmn/model.ts';
import { evaluateExpression } from '../../expressions/index.ts';
import type { InstanceRun } from '../instanceRun.ts';
import type { Behavior, Step } from '../services.ts';
import type { Execution } from '../state.ts';
import { setVariable } from '../variables.ts';

export const callActivity: Behavior = {
  async enter(step, execution, node) {
    const settings = node.callActivity!;
    const visible = step.run.variablesOf(execution);
    const inputs = mapVariables(visible, settings.inAll, settings.inputs);
    execution.status = 'waiting';
    const child = await step.services.startCalledInstance(step.run, execution, settings.calledElement, inputs);
    // The child may already have finished (and returned) within startCalledInstance.
    if (step.run.findExecution(execution.id)?.elementId === node.id && child.record.status === 'active') {
      execution.calledInstanceId = child.id;
    }
  },
};

function mapVariables(
  from: Record<string, unknown>,
  all: boolean,
  assignments: VariableAssignment[],
): Record<string, unknown> {
  const mapped: Record<string, unknown> = all ? { ...from } : {};
  for (const assignment of assignments) {
    mapped[assignment.target] = assignment.expression
      ? evaluateExpression(assignment.expression, from)
      : from[assignment.source ?? assignment.target];
  }
  return mapped;
}

/** The called instance completed: map its variables out and move the caller on. */
export async function returnFromCalledInstance(step: Step, caller: Execution, child: InstanceRun): Promise<void> {
  const node = step.run.node(caller.elementId);
  const settings = node.callActivity!;
  const outputs = mapVariables(child.root.variables ?? {}, settings.outAll, settings.outputs);
  for (const [name, value] of Object.entries(outputs)) setVariable(step.run.state, caller, name, value);
  caller.calledInstanceId = undefined;
  await step.ops.leaveNode(step, caller);
}

export type { InstanceRun };
