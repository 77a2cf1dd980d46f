/**
 * Service task handlers: features that act when a token enters a service or send task
 * carrying their extension element (public links, engine/publicLinks/, create a link bound
 * to the instance). Each runs in registration order BEFORE the task's own implementation
 * (runtime/behaviors/serviceTask.ts), inside the command; they read beside the instance
 * through `step.services.trx` and buffer their writes for a flush participant. The token
 * then leaves as usual: a handler never holds it.
 */
import type { FlowNode } from '../bpmn/model.ts';
import type { Step } from '../runtime/services.ts';
import type { Execution } from '../runtime/state.ts';
import { assertFeaturesInstalled } from './installed.ts';

export type ServiceTaskHandler = (step: Step, execution: Execution, node: FlowNode) => Promise<void> | void;

const handlers: ServiceTaskHandler[] = [];

export function registerServiceTaskHandler(handler: ServiceTaskHandler): void {
  if (!handlers.includes(handler)) handlers.push(handler);
}

export function serviceTaskHandlers(): readonly ServiceTaskHandler[] {
  assertFeaturesInstalled('the service task behaviour');
  return handlers;
}
