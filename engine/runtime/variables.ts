/**
 * Variable scopes, as in Camunda: reading walks from an execution up to the root; writing
 * updates the nearest scope that already has the name, else the process instance.
 */
import type { Execution, InstanceState } from './state.ts';

function ancestry(state: InstanceState, execution: Execution): Execution[] {
  const chain: Execution[] = [];
  let current: Execution | undefined = execution;
  while (current) {
    chain.push(current);
    const parentId: string | null = current.parentId;
    current = parentId === null ? undefined : state.executions.find((candidate) => candidate.id === parentId);
  }
  return chain;
}

/** All variables visible from `execution`, inner scopes shadowing outer ones. */
export function visibleVariables(state: InstanceState, execution: Execution): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const scope of ancestry(state, execution).reverse()) Object.assign(merged, scope.variables);
  return merged;
}

export function setVariable(state: InstanceState, execution: Execution, name: string, value: unknown): void {
  const chain = ancestry(state, execution);
  const owner = chain.find((scope) => scope.variables && name in scope.variables) ?? chain[chain.length - 1]!;
  owner.variables ??= {};
  owner.variables[name] = value;
}

export function setVariables(state: InstanceState, execution: Execution, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) setVariable(state, execution, name, value);
}

export function setLocalVariable(execution: Execution, name: string, value: unknown): void {
  execution.variables ??= {};
  execution.variables[name] = value;
}
