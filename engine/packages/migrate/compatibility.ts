/**
 * Whether one running instance can move to another version of its process: every place a
 * token is (a wait, a join, a sub-process or multi-instance scope) and everything stored for
 * it (timer and effect jobs, message/signal subscriptions) must mean the same in the new
 * version, matched by element id. Pure: the caller reads the rows.
 */
import type { CompiledProcess, FlowNode } from '../../bpmn/model.ts';
import type { InstanceState } from '../../runtime/state.ts';

/** A job or subscription of the instance, as stored. */
export interface InstanceWait {
  kind: 'job' | 'subscription';
  /** Job type (`timer`, `effect:webhook`, `task:reminder`…) or subscription type (`message`, `signal`). */
  type: string;
  elementId: string | null;
  /** Message or signal name, for subscriptions. */
  eventName?: string | null;
}

export interface InstanceCompatibility {
  /** Flow nodes where tokens wait (leaves of the token tree), in state order. */
  waitingAt: string[];
  /** Empty when the instance can move; otherwise one sentence per obstacle. */
  reasons: string[];
}

function eventLabel(node: FlowNode): string {
  const event = node.event;
  if (!event) return 'nothing';
  if (event.type === 'message') return `message '${event.messageName}'`;
  if (event.type === 'signal') return `signal '${event.signalName}'`;
  return `a ${event.type}`;
}

/** Why a token at `id` cannot stay where it is in `to`, or null. */
function nodeObstacle(id: string, from: FlowNode | undefined, to: FlowNode | undefined, verb: string): string | null {
  if (!to) return `${verb} '${id}' which the new version does not have`;
  if (!from) return null; // cannot happen for a settled instance; nothing to compare with
  if (from.type !== to.type) return `${verb} '${id}', a ${from.type}, which is a ${to.type} in the new version`;
  if (from.scopeId !== to.scopeId) return `${verb} '${id}', which the new version moved from '${from.scopeId}' to '${to.scopeId}'`;
  if (Boolean(from.multiInstance) !== Boolean(to.multiInstance) || from.multiInstance?.sequential !== to.multiInstance?.sequential) {
    return `${verb} '${id}', whose multi-instance setting differs in the new version`;
  }
  if (eventLabel(from) !== eventLabel(to)) return `${verb} '${id}' for ${eventLabel(from)}, which waits for ${eventLabel(to)} in the new version`;
  if (from.attachedToId !== to.attachedToId) return `${verb} '${id}', which the new version attaches to '${to.attachedToId ?? 'nothing'}'`;
  if (from.type === 'callActivity' && from.callActivity?.calledElement !== to.callActivity?.calledElement) {
    return `${verb} '${id}', which calls '${to.callActivity?.calledElement}' in the new version instead of '${from.callActivity?.calledElement}'`;
  }
  return null;
}

export function checkInstanceCompatibility(
  state: InstanceState,
  waits: InstanceWait[],
  from: CompiledProcess,
  to: CompiledProcess,
): InstanceCompatibility {
  const reasons = new Set<string>();
  const parents = new Set(state.executions.map((execution) => execution.parentId));
  const waitingAt: string[] = [];
  /** Elements already named: their jobs and subscriptions would only say it again. */
  const blocked = new Set<string>();
  for (const execution of state.executions) {
    if (execution.parentId === null) continue; // the process scope: same key, same id
    if (!parents.has(execution.id)) waitingAt.push(execution.elementId);
    const verb = parents.has(execution.id) ? 'is inside' : 'waits at';
    const obstacle = nodeObstacle(execution.elementId, from.nodes[execution.elementId], to.nodes[execution.elementId], verb);
    if (obstacle) {
      reasons.add(obstacle);
      blocked.add(execution.elementId);
    }
    // A join counts arrivals by sequence flow: each flow it counted must still lead there.
    if (execution.status === 'joining' && execution.arrivedVia) {
      const flow = to.flows[execution.arrivedVia];
      if (!flow || flow.targetId !== execution.elementId) {
        reasons.add(`joins at '${execution.elementId}' by flow '${execution.arrivedVia}', which the new version does not lead there`);
      }
    }
  }
  for (const wait of waits) {
    if (!wait.elementId || blocked.has(wait.elementId)) continue;
    const what = wait.kind === 'job' ? `has a ${wait.type} job at` : `listens for ${wait.type} '${wait.eventName}' at`;
    const obstacle = nodeObstacle(wait.elementId, from.nodes[wait.elementId], to.nodes[wait.elementId], what);
    if (obstacle) {
      reasons.add(obstacle);
      continue;
    }
    if (wait.kind === 'subscription') {
      const event = to.nodes[wait.elementId]?.event;
      const name = event?.type === 'message' ? event.messageName : event?.type === 'signal' ? event.signalName : undefined;
      if (event?.type !== wait.type || name !== wait.eventName) {
        reasons.add(`listens for ${wait.type} '${wait.eventName}' at '${wait.elementId}', which the new version does not listen for there`);
      }
    }
  }
  return { waitingAt, reasons: [...reasons] };
}
