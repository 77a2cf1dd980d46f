/**
 * Inclusive gateway. Split: every flow whose condition holds (default when none does).
 * Join: waits until no other token of the same scope can still reach the gateway; this is
 * re-checked whenever the interpreter comes to rest, so a branch that ends elsewhere or is
 * skipped releases the join.
 */
import type { CompiledProcess, FlowNode } from '../../bpmn/model.ts';
import { conditionHolds } from '../expressions.ts';
import { schedule } from '../agenda.ts';
import { noPathError } from '../noPath.ts';
import type { Behavior, Step } from '../services.ts';
import type { Execution } from '../state.ts';

export const inclusiveGateway: Behavior = {
  async enter(step, execution, node) {
    if (node.incoming.length > 1) {
      execution.status = 'joining';
      return; // fireReadyInclusiveJoins decides once the interpreter is at rest
    }
    await split(step, execution, node);
  },
};

async function split(step: Step, execution: Execution, node: FlowNode): Promise<void> {
  const { run } = step;
  run.endHistory(execution);
  if (node.outgoing.length === 0) {
    await step.ops.endExecution(step, execution);
    return;
  }
  const chosen = node.outgoing.filter((flowId) => {
    if (flowId === node.defaultFlowId) return false;
    const flow = run.process.flows[flowId]!;
    return !flow.condition || conditionHolds(run, execution, flow.condition);
  });
  if (chosen.length === 0 && node.defaultFlowId) chosen.push(node.defaultFlowId);
  if (chosen.length === 0) throw noPathError(node);
  step.ops.continueAlong(step, execution, chosen);
}

/** Fires every inclusive join that no other token can still reach. Returns true if any fired. */
export function fireReadyInclusiveJoins(step: Step): boolean {
  const { run } = step;
  let fired = false;
  const waiting = run.state.executions.filter(
    (execution) => execution.status === 'joining' && run.node(execution.elementId).type === 'inclusiveGateway',
  );
  const seen = new Set<string>();
  for (const execution of waiting) {
    const groupKey = `${execution.parentId}|${execution.elementId}`;
    if (seen.has(groupKey)) continue;
    seen.add(groupKey);
    const group = waiting.filter((other) => other.parentId === execution.parentId && other.elementId === execution.elementId);
    const others = run.state.executions.filter(
      (other) => other.parentId === execution.parentId && !group.includes(other),
    );
    if (others.some((other) => canReach(run.process, other.elementId, execution.elementId))) continue;
    const [survivor, ...merged] = group;
    for (const other of merged) {
      run.endHistory(other);
      run.removeTree(other, false);
    }
    survivor!.status = 'active';
    schedule(step, () => split(step, survivor!, run.node(survivor!.elementId)));
    fired = true;
  }
  return fired;
}

const reachability = new WeakMap<CompiledProcess, Map<string, Set<string>>>();

/** Whether a token at `fromId` can still arrive at `targetId` along flows or boundary events. */
export function canReach(process: CompiledProcess, fromId: string, targetId: string): boolean {
  let cache = reachability.get(process);
  if (!cache) reachability.set(process, (cache = new Map()));
  let reachable = cache.get(fromId);
  if (!reachable) {
    reachable = new Set();
    const queue = [fromId];
    while (queue.length > 0) {
      const node = process.nodes[queue.shift()!];
      if (!node) continue;
      const next = [
        ...node.outgoing.map((flowId) => process.flows[flowId]!.targetId),
        ...(node.boundaryEventIds ?? []),
      ];
      for (const id of next) {
        if (!reachable.has(id)) {
          reachable.add(id);
          queue.push(id);
        }
      }
    }
    cache.set(fromId, reachable);
  }
  return reachable.has(targetId);
}
