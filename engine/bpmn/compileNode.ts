/**
 * One BPMN flow element → one FlowNode. Element types the engine cannot run are refused here
 * with the element named; elements that never execute (data objects and references) are
 * skipped on purpose.
 */
import {
  callActivitySettings,
  camundaIoMapping,
  multiInstanceSettings,
  refuseListeners,
  userTaskSettings,
  zeebeIoMapping,
} from './camundaSettings.ts';
import type { CompileContext } from './context.ts';
import { compileEventDefinition, messageEvent, type EventRole } from './events.ts';
import { implementationOf, refuseMisplacedImplementation } from './implementation.ts';
import { liuzhuanExtensions } from './liuzhuan.ts';
import { refuseUnmappedZeebe } from './zeebe.ts';
import type { ElementType, FlowNode } from './model.ts';
import { child, describe, flag, tagName, text, type ModdleElement } from './moddleAccess.ts';

const SUPPORTED: Record<string, ElementType> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:UserTask': 'userTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:SendTask': 'sendTask',
  'bpmn:ReceiveTask': 'receiveTask',
  'bpmn:ManualTask': 'manualTask',
  'bpmn:Task': 'task',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
};

/** Flow elements that hold or point at data but never execute. */
const IGNORED = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

export function isIgnoredElement(el: ModdleElement): boolean {
  return IGNORED.has(el.$type);
}

const ACTIVITIES = new Set<ElementType>([
  'userTask', 'serviceTask', 'sendTask', 'receiveTask', 'manualTask', 'task', 'subProcess', 'callActivity',
]);

export function isActivity(type: ElementType): boolean {
  return ACTIVITIES.has(type);
}

/** Where the node sits, which decides which event definitions its events may carry. */
export interface NodePlace {
  scopeId: string;
  /** The scope is an event sub-process / an embedded sub-process / the process. */
  scopeKind: 'process' | 'subProcess' | 'eventSubProcess';
}

/** The compiled node, or undefined when the element is refused (a problem is recorded). */
export function compileNode(ctx: CompileContext, el: ModdleElement, place: NodePlace): FlowNode | undefined {
  const type = SUPPORTED[el.$type];
  if (!type) {
    ctx.problem(el.id, `${describe(el)} is not supported: ${tagName(el)} cannot be executed by Liuzhuan`, {
      code: 'element_unsupported',
      params: { element: tagName(el) },
    });
    if (el.id) ctx.refused.add(el.id);
    return undefined;
  }
  if (!el.id) {
    ctx.problem(place.scopeId, `A ${tagName(el)} inside '${place.scopeId}' has no id`);
    return undefined;
  }
  const node: FlowNode = { id: el.id, type, scopeId: place.scopeId, incoming: [], outgoing: [] };
  const name = text(el, 'name');
  if (name) node.name = name;
  refuseListeners(ctx, el);
  refuseUnmappedZeebe(ctx, el, { activity: isActivity(type), runsTask: type === 'serviceTask' || type === 'sendTask' || type === 'task' });
  if (type.endsWith('Event')) compileEvent(ctx, el, node, place);
  if (isActivity(type)) compileActivity(ctx, el, node);
  else refuseMisplacedImplementation(ctx, el);
  const defaultFlow = child(el, 'default');
  if (defaultFlow?.id) node.defaultFlowId = defaultFlow.id;
  const ext = liuzhuanExtensions(el);
  if (ext) node.extensions = ext;
  return node;
}

function eventRole(type: ElementType, place: NodePlace): EventRole {
  switch (type) {
    case 'startEvent':
      return place.scopeKind === 'process'
        ? 'processStart'
        : place.scopeKind === 'eventSubProcess'
          ? 'eventSubProcessStart'
          : 'subProcessStart';
    case 'endEvent':
      return 'end';
    case 'intermediateCatchEvent':
      return 'catch';
    case 'intermediateThrowEvent':
      return 'throw';
    default:
      return 'boundary';
  }
}

function compileEvent(ctx: CompileContext, el: ModdleElement, node: FlowNode, place: NodePlace): void {
  const role = eventRole(node.type, place);
  const event = compileEventDefinition(ctx, el, role);
  if (event) node.event = event;
  if (role === 'boundary') {
    const host = child(el, 'attachedToRef');
    if (host?.id) node.attachedToId = host.id;
    else ctx.problem(el.id, `${describe(el)} is not attached to an activity (attachedToRef is missing or unknown)`);
    node.interrupting = flag(el, 'cancelActivity') !== false;
  }
  if (role === 'eventSubProcessStart') node.interrupting = flag(el, 'isInterrupting') !== false;
  if (node.type === 'startEvent') {
    const initiator = text(el, 'camunda:initiator');
    if (initiator) node.initiatorVariable = initiator;
  }
}

function compileActivity(ctx: CompileContext, el: ModdleElement, node: FlowNode): void {
  switch (node.type) {
    case 'userTask':
      node.userTask = userTaskSettings(ctx, el);
      break;
    case 'serviceTask':
    case 'sendTask':
    case 'task': {
      const implementation = implementationOf(ctx, el);
      if (implementation) node.serviceTask = implementation;
      break;
    }
    case 'receiveTask': {
      // Without messageRef a receive task waits for an explicit trigger (Camunda's signal()).
      const event = messageEvent(ctx, el, el, false);
      if (event) node.event = event;
      break;
    }
    case 'callActivity': {
      const settings = callActivitySettings(ctx, el);
      if (settings) node.callActivity = settings;
      break;
    }
    default:
      break;
  }
  if (node.type !== 'serviceTask' && node.type !== 'sendTask' && node.type !== 'task') refuseMisplacedImplementation(ctx, el);
  const multiInstance = multiInstanceSettings(ctx, el);
  if (multiInstance) node.multiInstance = multiInstance;
  const camundaIo = camundaIoMapping(ctx, el);
  // On a call activity the Zeebe mapping is the call's input/output (see callActivitySettings).
  const zeebeIo = node.type === 'callActivity' ? { inputs: [], outputs: [] } : zeebeIoMapping(ctx, el);
  const inputs = [...camundaIo.inputs, ...zeebeIo.inputs];
  const outputs = [...camundaIo.outputs, ...zeebeIo.outputs];
  if (inputs.length > 0) node.inputs = inputs;
  if (outputs.length > 0) node.outputs = outputs;
}
