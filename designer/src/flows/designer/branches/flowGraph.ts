/**
 * The flow as a graph of ids, for questions the insert actions ask before touching bpmn-js:
 * where the branches that leave a split gateway meet again (its join). Pure, so unit-tested.
 */

export interface GraphNode {
  id: string;
  /** Ids of the nodes the outgoing sequence flows lead to, in document order. */
  next: string[];
}

export type Graph = ReadonlyMap<string, GraphNode>;

/** Distance (in flows) from `start` to every node reachable from it, `start` itself at 0. */
function distancesFrom(graph: Graph, start: string): Map<string, number> {
  const seen = new Map<string, number>([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const next of graph.get(id)?.next ?? []) {
      if (seen.has(next)) continue;
      seen.set(next, seen.get(id)! + 1);
      queue.push(next);
    }
  }
  return seen;
}

/**
 * The node where every branch of `splitId` arrives (the nearest node reachable from all its
 * outgoing flows, nearest by the longest of those walks), or undefined when the branches
 * never meet (e.g. each ends in its own end event).
 */
export function joinOf(graph: Graph, splitId: string): string | undefined {
  const branches = graph.get(splitId)?.next ?? [];
  if (branches.length === 0) return undefined;
  const walks = branches.map((start) => distancesFrom(graph, start));
  let best: { id: string; cost: number } | undefined;
  for (const [id, first] of walks[0]) {
    if (id === splitId) continue;
    let cost = first;
    let everywhere = true;
    for (const walk of walks.slice(1)) {
      const distance = walk.get(id);
      if (distance === undefined) {
        everywhere = false;
        break;
      }
      cost = Math.max(cost, distance);
    }
    if (everywhere && (!best || cost < best.cost)) best = { id, cost };
  }
  return best?.id;
}
