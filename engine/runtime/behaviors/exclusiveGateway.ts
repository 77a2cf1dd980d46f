/** Exclusive gateway: the first true condition in document order, else the default flow. */
import { conditionHolds } from '../expressions.ts';
import { noPathError } from '../noPath.ts';
import type { Behavior } from '../services.ts';

export const exclusiveGateway: Behavior = {
  enter(step, execution, node) {
    const { run } = step;
    run.endHistory(execution);
    if (node.outgoing.length === 1 && !run.process.flows[node.outgoing[0]!]!.condition) {
      step.ops.continueAlong(step, execution, node.outgoing);
      return;
    }
    const chosen = node.outgoing.find((flowId) => {
      if (flowId === node.defaultFlowId) return false;
      const flow = run.process.flows[flowId]!;
      return !flow.condition || conditionHolds(run, execution, flow.condition);
    });
    const flowId = chosen ?? node.defaultFlowId;
    if (!flowId) throw noPathError(node);
    step.ops.continueAlong(step, execution, [flowId]);
  },
};
