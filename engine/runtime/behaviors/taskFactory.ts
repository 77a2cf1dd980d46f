/**
 * Building the row of a new user task: name, form, priority and due date come from the node's
 * settings; who it is for is decided by the caller (the camunda assignment in userTask.ts, or
 * an approval slot in engine/approval/flow.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ExpressionSource, FlowNode } from '../../bpmn/model.ts';
import { classifyExpression } from '../../expressions/index.ts';
import { resolveTimer } from '../../timers/index.ts';
import { evaluate } from '../expressions.ts';
import type { InstanceRun, NewTask } from '../instanceRun.ts';
import type { Execution } from '../state.ts';

export interface TaskPeople {
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
}

export function buildTask(run: InstanceRun, execution: Execution, node: FlowNode, people: TaskPeople): NewTask {
  const settings = node.userTask ?? {};
  const priority = settings.priority ? Number(evaluate(run, execution, settings.priority)) : 50;
  // One instant for both: a due date given as a duration (`P2D`) counts from the task's creation.
  const createdAt = run.now();
  return {
    id: randomUUID(),
    instanceId: run.id,
    executionId: execution.id,
    elementId: node.id,
    name: taskName(run, execution, node.name),
    formKey: settings.formKey ?? null,
    ...people,
    priority: Number.isFinite(priority) ? priority : 50,
    dueAt: dueDate(run, execution, settings.dueDate, createdAt),
    createdAt,
  };
}

/** Task names may be expressions (`My Task ${loopCounter}`), as Camunda allows. */
function taskName(run: InstanceRun, execution: Execution, name: string | undefined): string | null {
  if (!name) return null;
  const source = classifyExpression(name, 'literal');
  return source.language === 'literal' ? name : String(evaluate(run, execution, source) ?? '');
}

/** A due date is a date, or a duration counted from now (`P3D`), as Camunda accepts both. */
function dueDate(run: InstanceRun, execution: Execution, source: ExpressionSource | undefined, createdAt: Date): Date | null {
  if (!source) return null;
  const value = evaluate(run, execution, source);
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  const text = String(value).trim();
  const kind = /^-?P/i.test(text) ? 'duration' : 'date';
  return resolveTimer(kind, text, createdAt).dueAt;
}
