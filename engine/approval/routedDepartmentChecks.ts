/**
 * The deploy warning for 分派到的部门 (`<liuzhuan:assignee type="routedDepartment">`): such a
 * node finds its people through the record's routing ticket, so a process that is not bound to
 * a form (no record), or whose form routes nothing (no 自动分派 yet), would reach the node with
 * nobody and fall back every time. A warning, not an error: the routing may be configured after
 * the flow is published. It needs the database (the form's routing), so it runs in the deploy
 * transaction (commands/deployDefinition.ts) like assigneeFieldChecks.ts.
 */
import type { CompiledProcess, DeployProblem } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { hasRoutingConfig } from '../store/routing.ts';
import { routedDepartmentNodes } from './routedDepartment.ts';

/** One warning per routedDepartment node of a process without a form, or with a form that has no routing. */
export async function routedDepartmentWarnings(db: Db, processes: CompiledProcess[]): Promise<DeployProblem[]> {
  const warnings: DeployProblem[] = [];
  for (const process of processes) {
    const nodes = routedDepartmentNodes(process);
    if (nodes.size === 0) continue;
    const formKey = process.formKey;
    const routed = formKey ? await hasRoutingConfig(db, formKey) : false;
    if (routed) continue;
    for (const nodeId of nodes.keys()) {
      warnings.push(
        formKey
          ? {
              elementId: nodeId,
              code: 'routed_department_form_not_routed',
              params: { node: nodeId, form: formKey },
              message: `userTask '${nodeId}': its approvers are the routed department, but form '${formKey}' has no routing rules yet, so nobody is found and the fallback applies until 自动分派 is configured`,
            }
          : {
              elementId: nodeId,
              code: 'routed_department_without_form',
              params: { node: nodeId },
              message: `userTask '${nodeId}': its approvers are the routed department, but the process is not bound to a form, so no record is routed and the fallback always applies; bind a form with routing rules`,
            },
      );
    }
  }
  return warnings;
}
