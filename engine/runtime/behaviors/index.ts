/** One behaviour per BPMN element type; the interpreter dispatches on `node.type`. */
import type { ElementType, FlowNode } from '../../bpmn/model.ts';
import type { Behavior } from '../services.ts';
import { callActivity } from './callActivity.ts';
import { endEvent } from './endEvent.ts';
import { eventBasedGateway } from './eventBasedGateway.ts';
import { exclusiveGateway } from './exclusiveGateway.ts';
import { inclusiveGateway } from './inclusiveGateway.ts';
import { intermediateCatchEvent, receiveTask } from './catchEvents.ts';
import { intermediateThrowEvent } from './throwEvent.ts';
import { parallelGateway } from './parallelGateway.ts';
import { passThroughBehavior } from './passThrough.ts';
import { serviceTask } from './serviceTask.ts';
import { subProcess } from './subProcess.ts';
import { userTask } from './userTask.ts';

const behaviors: Record<ElementType, Behavior> = {
  startEvent: passThroughBehavior,
  boundaryEvent: passThroughBehavior,
  manualTask: passThroughBehavior,
  task: passThroughBehavior,
  endEvent,
  intermediateCatchEvent,
  intermediateThrowEvent,
  receiveTask,
  userTask,
  serviceTask,
  sendTask: serviceTask,
  exclusiveGateway,
  parallelGateway,
  inclusiveGateway,
  eventBasedGateway,
  subProcess,
  callActivity,
};

export function behaviorOf(node: FlowNode): Behavior {
  return behaviors[node.type];
}
