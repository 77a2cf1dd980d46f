/**
 * The `routedDepartment` approver type (分派到的部门): the department the instance's record was
 * routed to by auto-routing (its ticket's department). `value="members"` offers the node to
 * the department's active members (one claimable task in `single` mode, like a Camunda
 * candidate group); `value="head"` gives it to the department's active head.
 *
 * The instance's record is its business key (a flow form's submission starts the instance
 * with the record id as business key, in the transaction that routed the record, so the
 * ticket exists by the time the first node resolves its approvers). A record that was not
 * routed (the form has no routing, or the instance did not start from a form) yields nobody,
 * and the node's fallback applies.
 *
 * The ticket and the node's task are then kept in step by routing's flush participant
 * (engine/routing/taskLink.ts), which asks `routedDepartmentNodes` which nodes those are.
 */
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import { routedDepartmentOfRecord } from '../store/tickets.ts';
import { approvalSettingsOf } from './settings.ts';

export type RoutedDepartmentWho = 'members' | 'head';

/** Usernames of the routed department's active members or head; none when the record was not routed. */
export async function routedDepartmentCandidates(db: Db, run: InstanceRun, who: RoutedDepartmentWho): Promise<string[]> {
  const recordId = run.record.businessKey;
  const formKey = run.process.formKey;
  if (!recordId || !formKey || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(recordId)) return [];
  const routed = await routedDepartmentOfRecord(db, recordId, formKey);
  if (!routed) return [];
  if (who === 'head') return routed.head ? [routed.head] : [];
  return routed.members;
}

const nodesByProcess = new WeakMap<CompiledProcess, ReadonlyMap<string, string | null>>();

/** The user tasks of `process` whose approvers are the routed department: element id → node name. Cached per compiled process. */
export function routedDepartmentNodes(process: CompiledProcess): ReadonlyMap<string, string | null> {
  let nodes = nodesByProcess.get(process);
  if (!nodes) {
    nodes = new Map(
      Object.values(process.nodes)
        .filter((node): node is FlowNode => Boolean(node) && isRoutedDepartmentNode(node as FlowNode))
        .map((node) => [node.id, node.name ?? null]),
    );
    nodesByProcess.set(process, nodes);
  }
  return nodes;
}

function isRoutedDepartmentNode(node: FlowNode): boolean {
  return approvalSettingsOf(node)?.rules.some((rule) => rule.type === 'routedDepartment') ?? false;
}
