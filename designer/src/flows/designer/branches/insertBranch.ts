/**
 * 添加条件分支 / 添加并行分支 on a node, as ONE undoable command:
 * - on a node with one outgoing flow: a split gateway and a join gateway go after it. A
 *   condition branch gets a new node on its conditional path and a default path (其他情况,
 *   taken when no condition holds) straight to the join; a parallel branch gets two new nodes.
 * - on a split gateway of the same kind: one more branch (with a new node) between the split
 *   and the join where its branches meet.
 * The flow out of the node keeps its id (and any condition): it now ends at the split.
 */
import type { DiagramElement, Services } from '../modeler.ts';
import { joinOf, type Graph } from './flowGraph.ts';
import { centre, createGatewayShape, createNodeShape } from './nodeKinds.ts';

export const INSERT_BRANCH = 'lz.insertBranch';

export type BranchKind = 'condition' | 'parallel';

export interface BranchNames {
  node: string;
  /** The conditional flow's name (condition branches). */
  condition: string;
  /** The default flow's name (condition branches). */
  otherwise: string;
}

export interface InsertBranchContext {
  element: DiagramElement;
  kind: BranchKind;
  names: BranchNames;
  /** Set by the command: the first new node, and for a condition branch its conditional flow. */
  created?: DiagramElement;
  conditionFlow?: DiagramElement;
}

const GATEWAY: Record<BranchKind, 'bpmn:ExclusiveGateway' | 'bpmn:ParallelGateway'> = {
  condition: 'bpmn:ExclusiveGateway',
  parallel: 'bpmn:ParallelGateway',
};

const isFlow = (element: DiagramElement) => element.type === 'bpmn:SequenceFlow';

/** The diagram's sequence-flow graph, for finding joins. */
export function graphOf(services: Services): Graph {
  const graph = new Map<string, { id: string; next: string[] }>();
  for (const element of services.elementRegistry.getAll()) {
    if (element.waypoints || element.type === 'label') continue;
    graph.set(element.id, { id: element.id, next: element.outgoing.filter(isFlow).map((flow) => flow.target!.id) });
  }
  return graph;
}

/** The join of a split gateway of `kind` (undefined when `element` is not one or its branches never meet). */
export function joinFor(services: Services, element: DiagramElement, kind: BranchKind): DiagramElement | undefined {
  if (element.type !== GATEWAY[kind] || element.outgoing.filter(isFlow).length < 2) return undefined;
  const id = joinOf(graphOf(services), element.id);
  return id ? services.elementRegistry.get(id) : undefined;
}

/** Whether a branch of `kind` can be added on `element` (and the action is offered). */
export function canBranch(services: Services, element: DiagramElement | null | undefined, kind: BranchKind): element is DiagramElement {
  if (!element || element.waypoints || element.type === 'label' || element.labelTarget) return false;
  if (element === services.canvas.getRootElement() || element.type === 'bpmn:EndEvent' || element.type === 'bpmn:BoundaryEvent') return false;
  if (joinFor(services, element, kind)) return true;
  const outgoing = element.outgoing.filter(isFlow);
  return outgoing.length === 1 && !!outgoing[0].target;
}

export function registerInsertBranch(services: Services): void {
  const { modeling } = services;
  const node = (name: string, near: { x: number; y: number }, parent: DiagramElement) =>
    modeling.createShape(createNodeShape(services, 'approval', name), near, parent);

  class InsertBranchHandler {
    preExecute(context: InsertBranchContext) {
      const { element, kind, names } = context;
      const parent = element.parent!;
      const here = centre(element);
      const join = joinFor(services, element, kind);
      if (join) {
        // One more branch on an existing split.
        const added = node(names.node, { x: (here.x + centre(join).x) / 2, y: here.y + 120 * element.outgoing.length }, parent);
        const flow = modeling.connect(element, added);
        modeling.connect(added, join);
        if (kind === 'condition') {
          modeling.updateProperties(flow, { name: names.condition });
          context.conditionFlow = flow;
        }
        context.created = added;
        return;
      }
      const out = element.outgoing.filter(isFlow)[0];
      const after = out.target!;
      // Rough places; the automatic layout that follows puts everything in its column.
      const split = modeling.createShape(createGatewayShape(services, GATEWAY[kind]), { x: here.x + 120, y: here.y }, parent);
      const merge = modeling.createShape(createGatewayShape(services, GATEWAY[kind]), { x: here.x + 360, y: here.y }, parent);
      modeling.reconnectEnd(out, split, centre(split));
      modeling.connect(merge, after);
      const first = node(names.node, { x: here.x + 240, y: here.y }, parent);
      const firstFlow = modeling.connect(split, first);
      modeling.connect(first, merge);
      context.created = first;
      if (kind === 'condition') {
        modeling.updateProperties(firstFlow, { name: names.condition });
        const otherwise = modeling.connect(split, merge);
        modeling.updateProperties(otherwise, { name: names.otherwise });
        modeling.updateProperties(split, { default: otherwise.businessObject });
        context.conditionFlow = firstFlow;
      } else {
        const second = node(names.node, { x: here.x + 240, y: here.y + 120 }, parent);
        modeling.connect(split, second);
        modeling.connect(second, merge);
      }
    }
    execute() {
      return [];
    }
    revert() {
      return [];
    }
  }
  services.commandStack.registerHandler(INSERT_BRANCH, InsertBranchHandler);
}
