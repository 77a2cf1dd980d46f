/** User task: creates an open task with its assignee, candidates, form and due date, and waits. */
import { randomUUID } from 'node:crypto';
import { taskAssigned } from '../../events.ts';
import { classifyExpression } from '../../expressions/index.ts';
import { resolveTimer } from '../../timers/index.ts';
import { evaluate, evaluateList } from '../expressions.ts';
import type { InstanceRun } from '../instanceRun.ts';
import type { Execution } from '../state.ts';
import type { Behavior } from './index.ts';
import type { ExpressionSource } from '../../bpmn/model.ts';

export const userTask: Behavior = {
  enter(step, execution, node) {
    const { run } = step;
    const settings = node.userTask ?? {};
    const assignee = settings.assignee ? evaluate(run, execution, settings.assignee) : null;
    const priority = settings.priority ? Number(evaluate(run, execution, settings.priority)) : 50;
    const task = {
      id: randomUUID(),
      instanceId: run.id,
      executionId: execution.id,
      elementId: node.id,
      name: taskName(run, execution, node.name),
      formKey: settings.formKey ?? null,
      assignee: assignee === null || assignee === undefined || assignee === '' ? null : String(assignee),
      candidateUsers: evaluateList(run, execution, settings.candidateUsers),
      candidateGroups: evaluateList(run, execution, settings.candidateGroups),
      priority: Number.isFinite(priority) ? priority : 50,
      dueAt: dueDate(run, execution, settings.dueDate),
      createdAt: run.now(),
    };
    run.tasks.push(task);
    execution.status = 'waiting';
    run.emit(taskAssigned(task));
  },
};

/** Task names may be expressions (`My Task ${loopCounter}`), as Camunda allows. */
function taskName(run: InstanceRun, execution: Execution, name: string | undefined): string | null {
  if (!name) return null;
  const source = classifyExpression(name, 'literal');
  return source.language === 'literal' ? name : String(evaluate(run, execution, source) ?? '');
}

/** A due date is a date, or a duration counted from now (`P3D`), as Camunda accepts both. */
function dueDate(run: InstanceRun, execution: Execution, source: ExpressionSource | undefined): Date | null {
  if (!source) return null;
  const value = evaluate(run, execution, source);
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  const text = String(value).trim();
  const kind = /^-?P/i.test(text) ? 'duration' : 'date';
  return resolveTimer(kind, text, run.now()).dueAt;
}
