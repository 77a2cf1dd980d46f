/**
 * The token interpreter: moving executions into and out of flow nodes, taking sequence
 * flows, and finishing scopes. Element-specific work lives in `behaviors/`; everything here
 * is what all elements share. Behaviours reach these moves through `step.ops`
 * (`interpreterOps` below), never by importing this file: it imports them.
 */
import type { FlowNode } from '../bpmn/model.ts';
import { letOthersRun, runWithDeadline, stepStarts, type Deadline } from '../expressions/budget.ts';
import { schedule } from './agenda.ts';
import { behaviorOf } from './behaviors/index.ts';
import { armBoundaryEvents } from './boundaryEvents.ts';
import { conditionHolds, evaluate } from './expressions.ts';
import { startMultiInstance, innerInstanceCompleted } from './behaviors/multiInstance.ts';
import { fireReadyInclusiveJoins } from './behaviors/inclusiveGateway.ts';
import { noPathError } from './noPath.ts';
import type { InterpreterOps, Step } from './services.ts';
import type { Execution } from './state.ts';
import { StepBudget } from './stepBudget.ts';
import { setVariable } from './variables.ts';

// Commands queue work and move tokens with these too.
export { noPathError, schedule };

/**
 * Runs queued operations until every token waits, re-checking inclusive joins at rest. The
 * step budget bounds the run, and its deadline bounds every expression evaluated in it. Steps
 * run without I/O between them, so the run pauses for waiting requests every few ms
 * (letOthersRun): a command that runs for its whole budget must not hold the node that long.
 */
export async function drain(step: Step, deadline?: Deadline): Promise<void> {
  const budget = new StepBudget(step.run, deadline);
  await runWithDeadline(budget.deadline, async () => {
    while (true) {
      while (step.agenda.length > 0) {
        budget.step();
        stepStarts(budget.deadline);
        await step.agenda.shift()!();
        await letOthersRun(budget.deadline);
      }
      if (!fireReadyInclusiveJoins(step)) return;
    }
  });
}

/** Moves `execution` into `nodeId` and lets the node's behaviour act. */
export async function enterNode(step: Step, execution: Execution, nodeId: string, viaFlowId?: string): Promise<void> {
  const node = step.run.node(nodeId);
  execution.elementId = nodeId;
  execution.status = 'active';
  execution.arrivedVia = viaFlowId;
  if (node.multiInstance && !execution.innerInstance) {
    // The token becomes the multi-instance body; boundary events belong to the body.
    armBoundaryEvents(step, execution, node);
    await startMultiInstance(step, execution, node);
    return;
  }
  step.run.startHistory(execution, node);
  applyInputs(step, execution, node);
  if (!execution.innerInstance) armBoundaryEvents(step, execution, node);
  await behaviorOf(node).enter(step, execution, node);
}

/** Enters and immediately leaves a node (a catch event whose trigger already happened). */
export async function passThrough(step: Step, execution: Execution, nodeId: string): Promise<void> {
  const node = step.run.node(nodeId);
  execution.elementId = nodeId;
  step.run.startHistory(execution, node);
  await leaveNode(step, execution);
}

/** The token is done with its node: write outputs and move on along the outgoing flows. */
export async function leaveNode(step: Step, execution: Execution): Promise<void> {
  const { run } = step;
  const node = run.node(execution.elementId);
  if (!execution.multiInstance) {
    applyOutputs(step, execution, node);
    dropInputs(execution, node);
  }
  run.endHistory(execution);
  run.release(execution);
  execution.calledInstanceId = undefined;
  if (execution.innerInstance) {
    await innerInstanceCompleted(step, execution, node);
    return;
  }
  if (execution.multiInstance || run.process.scopes[node.id]) {
    // Leaving a scope (sub-process or multi-instance body): its local variables end with it.
    execution.multiInstance = undefined;
    execution.variables = undefined;
  }
  takeOutgoingFlows(step, execution, node);
}

/** Input parameters (camunda:inputParameter) are local to the token while it is at the node. */
function applyInputs(step: Step, execution: Execution, node: FlowNode): void {
  if (!node.inputs?.length) return;
  const values: Record<string, unknown> = {};
  for (const input of node.inputs) {
    values[input.target] = input.expression
      ? evaluate(step.run, execution, input.expression)
      : step.run.variablesOf(execution)[input.source ?? input.target];
  }
  execution.variables = { ...execution.variables, ...values };
}

function dropInputs(execution: Execution, node: FlowNode): void {
  if (!node.inputs?.length || !execution.variables) return;
  for (const input of node.inputs) delete execution.variables[input.target];
  if (Object.keys(execution.variables).length === 0 && !execution.innerInstance) execution.variables = undefined;
}

function applyOutputs(step: Step, execution: Execution, node: FlowNode): void {
  for (const output of node.outputs ?? []) {
    const value = output.expression
      ? evaluate(step.run, execution, output.expression)
      : step.run.variablesOf(execution)[output.source ?? output.target];
    setVariable(step.run.state, execution, output.target, value);
  }
}

/**
 * Default leaving behaviour of every non-gateway node: unconditional flows are all taken,
 * conditional ones when true (an implicit inclusive split), the default flow when nothing
 * else was. No outgoing flow at all is an implicit end.
 */
export function takeOutgoingFlows(step: Step, execution: Execution, node: FlowNode): void {
  if (node.outgoing.length === 0) {
    schedule(step, () => endExecution(step, execution));
    return;
  }
  const chosen = node.outgoing.filter((flowId) => {
    if (flowId === node.defaultFlowId) return false;
    const flow = step.run.process.flows[flowId]!;
    return !flow.condition || conditionHolds(step.run, execution, flow.condition);
  });
  if (chosen.length === 0 && node.defaultFlowId) chosen.push(node.defaultFlowId);
  if (chosen.length === 0) throw noPathError(node);
  continueAlong(step, execution, chosen);
}

/** Sends the token down the first flow and a new sibling token down each other one. */
export function continueAlong(step: Step, execution: Execution, flowIds: string[]): void {
  const parent = step.run.parentOf(execution)!;
  flowIds.forEach((flowId, index) => {
    const flow = step.run.process.flows[flowId]!;
    const token = index === 0 ? execution : step.run.newExecution(parent, flow.targetId);
    schedule(step, () => enterNode(step, token, flow.targetId, flow.id));
  });
}

/** A token has reached an end; its scope completes once it holds no token any more. */
export async function endExecution(step: Step, execution: Execution): Promise<void> {
  const parent = step.run.parentOf(execution);
  step.run.removeTree(execution, false);
  if (parent) await completeScopeIfEmpty(step, parent);
}

export async function completeScopeIfEmpty(step: Step, scope: Execution): Promise<void> {
  const { run } = step;
  if (run.children(scope).length > 0) return;
  if (scope.parentId === null) {
    await completeInstance(step, 'completed');
    return;
  }
  const node = run.node(scope.elementId);
  if (run.process.scopes[node.id]?.triggeredByEvent) {
    // An event sub-process ran to its end: it disappears, and its own scope may be done.
    const parent = run.parentOf(scope)!;
    run.removeTree(scope, false);
    await completeScopeIfEmpty(step, parent);
    return;
  }
  await leaveNode(step, scope);
}

export async function completeInstance(step: Step, status: 'completed' | 'terminated'): Promise<void> {
  const { run } = step;
  run.removeChildren(run.root, status === 'terminated');
  run.release(run.root);
  run.record.status = status;
  run.record.endedAt = run.now();
  run.emit({ type: 'instance.updated', rooms: [], people: run.record.startedBy ? [run.record.startedBy] : [], payload: { instanceId: run.id, status } });
  if (run.record.parentInstanceId && status === 'completed') await step.services.returnToCaller(run);
}

/** What every step carries as `step.ops` (set by the unit of work). */
export const interpreterOps: InterpreterOps = {
  enterNode,
  passThrough,
  leaveNode,
  continueAlong,
  endExecution,
  completeScopeIfEmpty,
  completeInstance,
};
