/**
 * The nodes an admin can add without knowing BPMN, as bpmn-js shapes with their Liuzhuan
 * settings: 审批节点 (approve / reject) and 填写节点 (the handler fills in the form and submits).
 * A new node starts with the submitter's department head as its handler, which the admin
 * changes in the properties panel.
 */
import { FILL_IN_ACTIONS, writeNodeSettings, type NodeSettings } from '../../model/liuzhuanExtensions.ts';
import type { DiagramElement, Services } from '../modeler.ts';

export type NodeKind = 'approval' | 'fill';
export const NODE_KINDS: readonly NodeKind[] = ['approval', 'fill'];

/**
 * A fill-in node is a user task whose actions are submit (提交), return and transfer: what the
 * properties panel's 审批节点 / 填写节点 switch writes (UserTaskProperties.tsx).
 */
export function settingsFor(kind: NodeKind): NodeSettings {
  return {
    approval: { mode: 'single', fallback: 'admin', rules: [{ type: 'submitterHead', value: '1' }] },
    fieldPermissions: {},
    actions: kind === 'fill' ? [...FILL_IN_ACTIONS] : null,
    timeout: null,
  };
}

/** A user task shape (not yet on the canvas) of `kind`, called `name`. */
export function createNodeShape(services: Services, kind: NodeKind, name: string): DiagramElement {
  const extensionElements = writeNodeSettings(services.moddle, { $type: 'bpmn:UserTask' }, settingsFor(kind));
  const businessObject = services.bpmnFactory.create('bpmn:UserTask', { name, extensionElements });
  return services.elementFactory.createShape({ type: 'bpmn:UserTask', businessObject });
}

export function createGatewayShape(services: Services, type: 'bpmn:ExclusiveGateway' | 'bpmn:ParallelGateway'): DiagramElement {
  return services.elementFactory.createShape({ type });
}

/** The centre of a shape, where modeling.createShape and the dockings take positions. */
export const centre = (element: DiagramElement) => ({ x: element.x + element.width / 2, y: element.y + element.height / 2 });
