/** Evaluating a model's expressions against the variables a token can see. */
import type { ExpressionSource } from '../bpmn/model.ts';
import { evaluateCondition, evaluateExpression, ExpressionError } from '../expressions/index.ts';
import type { InstanceRun } from './instanceRun.ts';
import type { Execution } from './state.ts';

function scopeFor(run: InstanceRun, execution: Execution): Record<string, unknown> {
  const variables = run.variablesOf(execution);
  // JUEL models read `execution.processBusinessKey` and similar; offer the common ones.
  return {
    ...variables,
    execution: {
      id: execution.id,
      processInstanceId: run.id,
      processBusinessKey: run.record.businessKey,
      businessKey: run.record.businessKey,
      activityId: execution.elementId,
      ...variables,
    },
  };
}

/** A failing expression names the element whose expression it is (the API's `details[].pointer`). */
function atElement<T>(execution: Execution, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof ExpressionError ? error.at(execution.elementId) : error;
  }
}

export function evaluate(run: InstanceRun, execution: Execution, source: ExpressionSource): unknown {
  return atElement(execution, () => evaluateExpression(source, scopeFor(run, execution)));
}

export function conditionHolds(run: InstanceRun, execution: Execution, source: ExpressionSource): boolean {
  return atElement(execution, () => evaluateCondition(source, scopeFor(run, execution)));
}

/** Evaluates to a list of strings: a list value, or comma-separated text. */
export function evaluateList(run: InstanceRun, execution: Execution, source: ExpressionSource | undefined): string[] {
  if (!source) return [];
  const value = evaluate(run, execution, source);
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (value === null || value === undefined) return [];
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
