/**
 * 添加审批节点: a user task inserted after an element as ONE undoable command. When the
 * element has a single outgoing flow (start → A → end), the new node goes in between and
 * everything to its right moves over; otherwise (a gateway) it becomes a new branch.
 */
import { writeNodeSettings } from '../model/liuzhuanExtensions.ts';
import type { DiagramElement, Services } from './modeler.ts';

export const INSERT_APPROVAL = 'lz.insertApproval';
const GAP = 150;

export interface InsertContext {
  source: DiagramElement;
  /** The flow to split; default: the source's only outgoing flow. */
  flow?: DiagramElement;
  name: string;
  shape?: DiagramElement;
}

export function registerInsertApproval(services: Services): void {
  const { modeling, elementFactory, bpmnFactory, moddle, elementRegistry } = services;
  class InsertApprovalHandler {
    preExecute(context: InsertContext) {
      const { source } = context;
      const flow = context.flow ?? (source.outgoing.length === 1 ? source.outgoing[0] : undefined);
      const right = source.x + source.width;
      if (flow) {
        const toMove = elementRegistry.filter(
          (element) => !element.waypoints && !element.labelTarget && element.type !== 'label' && element.parent === source.parent && element.x >= right,
        );
        if (toMove.length > 0) modeling.moveElements(toMove, { x: GAP, y: 0 });
      }
      const extensionElements = writeNodeSettings(moddle, { $type: 'bpmn:UserTask' }, {
        approval: { mode: 'single', fallback: 'admin', rules: [{ type: 'submitterHead', value: '1' }] },
        fieldPermissions: {},
        actions: null,
        timeout: null,
      });
      const businessObject = bpmnFactory.create('bpmn:UserTask', { name: context.name, extensionElements });
      const shape = elementFactory.createShape({ type: 'bpmn:UserTask', businessObject });
      const branchOffset = flow ? 0 : 120 * source.outgoing.length;
      const position = { x: right + 50 + shape.width / 2, y: source.y + source.height / 2 + branchOffset };
      const created = modeling.appendShape(source, shape, position, source.parent);
      if (flow) modeling.reconnectStart(flow, created, { x: created.x + created.width, y: created.y + created.height / 2 });
      context.shape = created;
    }
    execute() {
      return [];
    }
    revert() {
      return [];
    }
  }
  services.commandStack.registerHandler(INSERT_APPROVAL, InsertApprovalHandler);
}

/**
 * Where the button inserts: after the selected node; into the selected flow; before the end
 * event when it (or nothing) is selected.
 */
export function insertionPoint(services: Services, selected: DiagramElement | null): Omit<InsertContext, 'name'> | null {
  if (selected?.waypoints && selected.source) return { source: selected.source, flow: selected };
  if (selected && !selected.waypoints && selected.type !== 'bpmn:EndEvent' && selected !== services.canvas.getRootElement()) {
    return { source: selected };
  }
  const end = selected?.type === 'bpmn:EndEvent' ? selected : services.elementRegistry.filter((element) => element.type === 'bpmn:EndEvent')[0];
  const incoming = end?.incoming[0];
  return incoming?.source ? { source: incoming.source, flow: incoming } : null;
}
