/**
 * Multi-instance activities. The token that enters becomes the body, holding
 * `nrOfInstances`, `nrOfCompletedInstances`, `nrOfActiveInstances`; each inner instance has
 * `loopCounter` and the element variable. Parallel starts all at once, sequential one at a
 * time; the completion condition, checked after each inner completion, ends the rest.
 */
import type { FlowNode } from '../../bpmn/model.ts';
import { ValidationError } from '../../errors.ts';
import { quoteExpression } from '../../expressions/errors.ts';
import { engineLimits, limitEnvName } from '../../limits.ts';
import { conditionHolds, evaluate } from '../expressions.ts';
import { schedule } from '../agenda.ts';
import type { Step } from '../services.ts';
import type { Execution } from '../state.ts';

export async function startMultiInstance(step: Step, body: Execution, node: FlowNode): Promise<void> {
  const settings = node.multiInstance!;
  const { run } = step;
  let collection: unknown[] | undefined;
  let total: number;
  if (settings.collection) {
    const value =
      settings.collection.language === 'literal'
        ? run.variablesOf(body)[settings.collection.source]
        : evaluate(run, body, settings.collection);
    if (!Array.isArray(value)) {
      throw new ValidationError(`The collection of multi-instance "${node.id}" is not a list`, [
        { pointer: node.id, message: `collection ${quoteExpression(settings.collection.source, '')} is ${quoteExpression(JSON.stringify(value) ?? 'undefined', '')}` },
      ], 'invalid_collection');
    }
    collection = value;
    total = value.length;
  } else {
    total = Number(settings.loopCardinality ? evaluate(run, body, settings.loopCardinality) : NaN);
    if (!Number.isInteger(total) || total < 0) {
      throw new ValidationError(`The loop cardinality of multi-instance "${node.id}" is not a whole number`, [
        { pointer: node.id, message: 'loopCardinality must evaluate to a whole number ≥ 0' },
      ], 'invalid_cardinality');
    }
  }
  assertWithinCardinality(node, total, collection ? 'collection' : 'loopCardinality');
  body.status = 'waiting';
  body.multiInstance = { total, completed: 0, nextIndex: 0, collection };
  body.variables = { nrOfInstances: total, nrOfCompletedInstances: 0, nrOfActiveInstances: 0 };
  if (total === 0) {
    await step.ops.leaveNode(step, body);
    return;
  }
  const startNow = settings.sequential ? 1 : total;
  for (let index = 0; index < startNow; index += 1) startInner(step, body, node);
}

/**
 * Every parallel inner instance is created at once, before the step guard can count them, so
 * the size is checked first: `${n}` with n = 1e9 must be a clear 422, not a heap exhausted.
 */
function assertWithinCardinality(node: FlowNode, total: number, what: 'collection' | 'loopCardinality'): void {
  const { maxCardinality } = engineLimits();
  if (total <= maxCardinality) return;
  const size = what === 'collection' ? `a collection of ${total} items` : `a loop cardinality of ${total}`;
  throw new ValidationError(
    `Multi-instance "${node.id}" asks for ${size}; at most ${maxCardinality} instances are allowed (${limitEnvName('maxCardinality')})`,
    [{ pointer: node.id, message: `${what} ${total} is more than ${maxCardinality}` }],
    'cardinality_exceeded',
  );
}

function startInner(step: Step, body: Execution, node: FlowNode): void {
  const state = body.multiInstance!;
  const index = state.nextIndex++;
  const inner = step.run.newExecution(body, node.id);
  inner.innerInstance = true;
  inner.variables = { loopCounter: index };
  const elementVariable = node.multiInstance!.elementVariable;
  if (elementVariable && state.collection) inner.variables[elementVariable] = state.collection[index];
  body.variables!.nrOfActiveInstances = Number(body.variables!.nrOfActiveInstances) + 1;
  schedule(step, () => step.ops.enterNode(step, inner, node.id));
}

export async function innerInstanceCompleted(step: Step, inner: Execution, node: FlowNode): Promise<void> {
  const { run } = step;
  const body = run.parentOf(inner)!;
  const state = body.multiInstance!;
  state.completed += 1;
  body.variables!.nrOfCompletedInstances = state.completed;
  body.variables!.nrOfActiveInstances = Number(body.variables!.nrOfActiveInstances) - 1;
  const condition = node.multiInstance!.completionCondition;
  const done = (condition && conditionHolds(run, inner, condition)) || state.completed >= state.total;
  run.removeTree(inner, false);
  if (done) {
    run.removeChildren(body, true);
    await step.ops.leaveNode(step, body);
    return;
  }
  if (node.multiInstance!.sequential && state.nextIndex < state.total) startInner(step, body, node);
}
