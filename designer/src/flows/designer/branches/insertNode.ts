/**
 * 添加节点 on a sequence flow: a new node goes in the middle of the flow, as ONE undoable
 * command. The flow keeps its id, name and condition (and stays its gateway's default), it
 * just ends at the new node; a new flow leads from the new node to the old target.
 */
import type { DiagramElement, Services } from '../modeler.ts';
import { centre, createNodeShape, type NodeKind } from './nodeKinds.ts';

export const INSERT_NODE = 'lz.insertNode';

export interface InsertNodeContext {
  flow: DiagramElement;
  kind: NodeKind;
  name: string;
  /** Set by the command: the node it created. */
  created?: DiagramElement;
}

export function registerInsertNode(services: Services): void {
  const { modeling } = services;
  class InsertNodeHandler {
    preExecute(context: InsertNodeContext) {
      const { flow } = context;
      const target = flow.target!;
      const start = centre(flow.source!);
      const end = centre(target);
      // Anywhere sensible: the automatic layout that follows places it for good.
      const position = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
      const node = modeling.createShape(createNodeShape(services, context.kind, context.name), position, flow.parent!);
      modeling.reconnectEnd(flow, node, centre(node));
      modeling.connect(node, target);
      context.created = node;
    }
    execute() {
      return [];
    }
    revert() {
      return [];
    }
  }
  services.commandStack.registerHandler(INSERT_NODE, InsertNodeHandler);
}

/** A flow a node can be added on: a sequence flow with both ends on the canvas. */
export const canInsertOn = (element: DiagramElement | null | undefined): boolean =>
  element?.type === 'bpmn:SequenceFlow' && !!element.source && !!element.target;
