/**
 * Creating the things a waiting token listens for: message and signal subscriptions and
 * timer jobs, each owned by an execution (see InstanceRun.release).
 */
import { randomUUID } from 'node:crypto';
import type { EventDefinition, FlowNode } from '../bpmn/model.ts';
import { ValidationError } from '../errors.ts';
import { resolveTimer, type TimerSchedule } from '../timers/index.ts';
import { evaluate } from './expressions.ts';
import type { Step } from './services.ts';
import type { Execution } from './state.ts';

/**
 * Listens for `event` on behalf of `ownerId`. `context` is the execution whose variables
 * feed correlation keys and timer expressions. `elementId` is the node that fires.
 */
export function listenFor(step: Step, ownerId: string, context: Execution, node: FlowNode, event: EventDefinition): void {
  const { run } = step;
  if (event.type === 'message' || event.type === 'signal') {
    const correlationKey =
      event.type === 'message' && event.correlationKey ? evaluate(run, context, event.correlationKey) : null;
    run.subscriptions.push({
      id: randomUUID(),
      type: event.type,
      eventName: event.type === 'message' ? event.messageName : event.signalName,
      correlationKey: correlationKey === null || correlationKey === undefined ? null : String(correlationKey),
      instanceId: run.id,
      executionId: ownerId,
      elementId: node.id,
    });
    return;
  }
  if (event.type === 'timer') {
    const schedule = resolveNodeTimer(step, context, node, event);
    scheduleTimerJob(step, ownerId, node.id, schedule);
  }
}

export function resolveNodeTimer(
  step: Step,
  context: Execution,
  node: FlowNode,
  event: Extract<EventDefinition, { type: 'timer' }>,
): TimerSchedule {
  const raw = event.timer.value.language === 'literal' ? event.timer.value.source : evaluate(step.run, context, event.timer.value);
  const text = raw instanceof Date ? raw.toISOString() : String(raw ?? '').trim();
  try {
    return resolveTimer(event.timer.kind, text, step.run.now());
  } catch (error) {
    throw new ValidationError(`Timer of "${node.id}" is invalid: ${(error as Error).message}`, [
      { pointer: node.id, message: (error as Error).message },
    ], 'invalid_timer');
  }
}

export function scheduleTimerJob(step: Step, ownerId: string, elementId: string, schedule: TimerSchedule): void {
  step.run.jobs.push({
    id: randomUUID(),
    type: 'timer',
    instanceId: step.run.id,
    executionId: ownerId,
    elementId,
    dueAt: schedule.dueAt,
    payload: { timer: { kind: schedule.kind, value: schedule.value, remaining: schedule.remaining } },
  });
}
