/**
 * Parallel joins that can never fire. A parallel gateway with several incoming flows waits
 * for a token on each (as many tokens as flows); when one of those flows leaves from the
 * gateway itself or from somewhere after it, its token can only come once the gateway has
 * fired — which it never does. The instance then stays `active` forever with nothing to wait
 * on. Loops are fine elsewhere: a loop that comes back through an exclusive gateway placed
 * before the join (or to the fork) is not affected by this rule.
 */
import type { CompileContext } from './context.ts';
import type { CompiledProcess, FlowNode } from './model.ts';

export function checkParallelJoins(ctx: CompileContext, process: CompiledProcess): void {
  for (const scope of Object.values(process.scopes)) {
    const members = scope.childIds.map((id) => process.nodes[id]).filter((node): node is FlowNode => Boolean(node));
    // Where tokens enter the scope: its start events, and (to stay on the safe side) any
    // other node without incoming flows.
    const entries = members.filter((node) => node.type === 'startEvent' || (node.incoming.length === 0 && node.type !== 'boundaryEvent'));
    for (const join of members) {
      if (join.type !== 'parallelGateway' || join.incoming.length < 2) continue;
      const beforeJoin = reachable(process, entries, join.id);
      const afterJoin = reachable(process, [join], undefined);
      for (const flowId of join.incoming) {
        const sourceId = process.flows[flowId]!.sourceId;
        const loopsBack = sourceId === join.id || (!beforeJoin.has(sourceId) && afterJoin.has(sourceId));
        if (!loopsBack) continue;
        ctx.problem(
          join.id,
          `parallelGateway '${join.id}' can never fire: its incoming sequenceFlow '${flowId}' comes from ${
            sourceId === join.id ? 'the gateway itself' : `'${sourceId}', after the gateway`
          }, so it waits for a token only its own firing could send; join the loop with an exclusiveGateway instead`,
        );
      }
    }
  }
}

/**
 * Nodes a token can reach from `from` along sequence flows and onto boundary events, the
 * start nodes included. `blockedId` is never entered: what lies only behind it is not reached.
 */
function reachable(process: CompiledProcess, from: FlowNode[], blockedId: string | undefined): Set<string> {
  const seen = new Set<string>();
  const queue = from.filter((node) => node.id !== blockedId).map((node) => node.id);
  for (const id of queue) seen.add(id);
  const visit = (id: string) => {
    if (id === blockedId || seen.has(id)) return;
    seen.add(id);
    queue.push(id);
  };
  for (let index = 0; index < queue.length; index += 1) {
    const node = process.nodes[queue[index]!];
    if (!node) continue;
    for (const flowId of node.outgoing) {
      const flow = process.flows[flowId];
      if (flow) visit(flow.targetId);
    }
    for (const boundaryId of node.boundaryEventIds ?? []) visit(boundaryId);
  }
  return seen;
}
