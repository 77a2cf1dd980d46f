/**
 * Deploy: compile the XML (refusing anything we cannot run), store one new definition
 * version per executable process, and register its message/signal/timer start events.
 */
import { randomUUID } from 'node:crypto';
import { compileModel } from '../bpmn/compilePool.ts';
import type { CompiledProcess, DeployProblem } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { assertFlowConditionsFitForms } from '../forms/flowConditions.ts';
import { assertAssigneeFields } from '../approval/assigneeFieldChecks.ts';
import { routedDepartmentWarnings } from '../approval/routedDepartmentChecks.ts';
import { assertBoundFormsExist } from '../forms/flowForms.ts';
import { assertPublicLinkFormsExist } from '../publicLinks/deployChecks.ts';
import { resolveTimer } from '../timers/index.ts';
import { insertDefinition } from '../store/definitions.ts';
import { replaceTimerStartJobs } from '../store/jobs.ts';
import { replaceStartSubscriptions } from '../store/subscriptions.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface DeployedDefinition {
  id: string;
  key: string;
  version: number;
  name: string | null;
}

export async function deployDefinition(
  deps: CommandDeps,
  xml: string,
  deployedBy: string | null,
): Promise<{ definitions: DeployedDefinition[]; warnings: DeployProblem[] }> {
  const now = deps.clock();
  // Compiled before the transaction, so a model is refused without holding a connection, and
  // in the model worker, so a large one does not hold the event loop (bpmn/compilePool.ts).
  const compiled = await compileModel(xml);
  const warnings = [...compiled.warnings];
  const definitions = await runCommand(deps, async ({ trx }) => {
    // A process bound to a form (流程表单) needs that form: 422 naming the element otherwise.
    await assertBoundFormsExist(trx, compiled.processes);
    // …and so does the form of each public link a task creates (liuzhuan:publicLink).
    await assertPublicLinkFormsExist(trx, compiled.processes);
    // …and its branches may compare the form's select fields only with values they can hold.
    await assertFlowConditionsFitForms(trx, compiled.processes);
    // Member and department field rules must name such a field of that form.
    await assertAssigneeFields(trx, compiled.processes);
    // A routed-department node of a process whose records are not routed finds nobody: say so (a warning).
    warnings.push(...(await routedDepartmentWarnings(trx, compiled.processes)));
    const deployed: DeployedDefinition[] = [];
    for (const process of compiled.processes) {
      const definition = await insertDefinition(trx, {
        key: process.id,
        name: process.name ?? null,
        xml,
        process,
        deployedBy,
      });
      await registerStartEvents(trx, definition.id, process, now);
      deployed.push({ id: definition.id, key: definition.key, version: definition.version, name: definition.name });
    }
    return deployed;
  });
  return { definitions, warnings };
}

async function registerStartEvents(trx: Db, definitionId: string, process: CompiledProcess, now: Date): Promise<void> {
  const starts = (process.scopes[process.id]?.eventStartEventIds ?? []).map((id) => process.nodes[id]!);
  const subscriptions: Array<{ id: string; type: 'message' | 'signal'; eventName: string; elementId: string }> = [];
  for (const node of starts) {
    if (node.event?.type === 'message') {
      subscriptions.push({ id: randomUUID(), type: 'message', eventName: node.event.messageName, elementId: node.id });
    } else if (node.event?.type === 'signal') {
      subscriptions.push({ id: randomUUID(), type: 'signal', eventName: node.event.signalName, elementId: node.id });
    }
  }
  await replaceStartSubscriptions(trx, process.id, definitionId, subscriptions);
  const timerJobs = starts.flatMap((node) => {
    if (node.event?.type !== 'timer' || node.event.timer.value.language !== 'literal') return [];
    const schedule = resolveTimer(node.event.timer.kind, node.event.timer.value.source, now);
    return [
      {
        id: randomUUID(),
        type: 'timer',
        instanceId: null,
        definitionId,
        executionId: null,
        elementId: node.id,
        dueAt: schedule.dueAt,
        payload: { timer: { kind: schedule.kind, value: schedule.value, remaining: schedule.remaining } },
      },
    ];
  });
  await replaceTimerStartJobs(trx, process.id, timerJobs);
}
