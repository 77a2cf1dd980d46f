/**
 * User task handlers: a feature that gives some user tasks their own behaviour (approval
 * nodes offer tasks by mode, engine/approval/flow.ts). The user task behaviour
 * (runtime/behaviors/userTask.ts) asks each in registration order; the first that returns
 * true has handled the node, else a plain task is created.
 */
import type { FlowNode } from '../bpmn/model.ts';
import type { Step } from '../runtime/services.ts';
import type { Execution } from '../runtime/state.ts';
import { assertFeaturesInstalled } from './installed.ts';

export type UserTaskHandler = (step: Step, execution: Execution, node: FlowNode) => Promise<boolean> | boolean;

const handlers: UserTaskHandler[] = [];

export function registerUserTaskHandler(handler: UserTaskHandler): void {
  if (!handlers.includes(handler)) handlers.push(handler);
}

export function userTaskHandlers(): readonly UserTaskHandler[] {
  assertFeaturesInstalled('the user task behaviour');
  return handlers;
}
