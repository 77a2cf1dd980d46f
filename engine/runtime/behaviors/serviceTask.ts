/**
 * Service and send tasks, script-free: evaluate an expression, set variables, or queue an
 * outside effect (webhook, e-mail, chat robot) as a job that runs exactly once after commit.
 */
import { randomUUID } from 'node:crypto';
import { serviceTaskHandlers } from '../../extensions/serviceTaskHandlers.ts';
import { evaluate } from '../expressions.ts';
import { setVariable } from '../variables.ts';
import type { Behavior } from '../services.ts';

export const serviceTask: Behavior = {
  async enter(step, execution, node) {
    const { run } = step;
    // Features acting on their own extension elements first (a public link, engine/publicLinks/).
    for (const handler of serviceTaskHandlers()) await handler(step, execution, node);
    const settings = node.serviceTask ?? { kind: 'none' };
    if (settings.kind === 'expression') {
      const value = evaluate(run, execution, settings.expression);
      if (settings.resultVariable) setVariable(run.state, execution, settings.resultVariable, value);
    } else if (settings.kind === 'setVariables') {
      for (const assignment of settings.assignments) {
        const value = assignment.expression
          ? evaluate(run, execution, assignment.expression)
          : run.variablesOf(execution)[assignment.source ?? assignment.target];
        setVariable(run.state, execution, assignment.target, value);
      }
    } else if (settings.kind === 'effect') {
      run.jobs.push({
        id: randomUUID(),
        type: `effect:${settings.effectType}`,
        instanceId: run.id,
        // Not owned by the token: the effect must happen even after the token moves on.
        executionId: null,
        elementId: node.id,
        dueAt: run.now(),
        payload: { config: settings.config, variables: run.variablesOf(execution) },
      });
    }
    await step.ops.leaveNode(step, execution);
  },
};
