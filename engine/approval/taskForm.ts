/**
 * What an assignee's form screen gets for a task: the stored form (if the form key names
 * one), the record's data as seen from the task, and the node's field permissions. Hidden
 * fields are removed here, on the server, so they never reach that node's assignee.
 */
import type { Db } from '../db/connection.ts';
import { NotFoundError } from '../errors.ts';
import { visibleVariables } from '../runtime/variables.ts';
import { definitionById } from '../store/definitions.ts';
import { getFormVersion } from '../store/forms.ts';
import { findInstance } from '../store/instances.ts';
import type { TaskRow } from '../store/tasks.ts';
import { formAccess } from '../access/index.ts';
import { topLevelFields } from '../access/schemaFields.ts';
import type { AuthUser } from '../identity/types.ts';
import { visibleData, visibleSchema, visibleUiSchema } from './fieldAccess.ts';
import { allowedActionsOf, fieldPermissionsOf, nodeKindOf, type ApprovalAction, type FieldPermissions, type NodeKind } from './nodeSettings.ts';

export interface TaskFormView {
  formKey: string | null;
  form: { schema: Record<string, unknown>; uiSchema: Record<string, unknown> } | null;
  data: Record<string, unknown>;
  fieldPermissions: FieldPermissions;
  allowedActions: ApprovalAction[];
  /** `fillIn` (填写节点: fill in and 提交) or `approval` (同意 / 拒绝). */
  nodeKind: NodeKind;
}

/**
 * Fields a viewer's permission groups hide on the task's form: when the viewer is a direct member
 * of any group of that form, the fields none of their groups shows are hidden on the task too
 * (node permissions still apply on top; a field the node requires stays, the node needs it).
 */
async function groupHiddenFields(db: Db, formKey: string, viewer: AuthUser, permissions: FieldPermissions, schema: unknown): Promise<FieldPermissions> {
  const access = await formAccess(db, viewer, formKey);
  if (access.admin || access.implicit) return permissions;
  const direct = access.groups.filter((g) => g.direct);
  if (direct.length === 0) return permissions;
  if (direct.some((g) => g.group.fields.visible === '*')) return permissions;
  const visible = new Set(direct.flatMap((g) => g.group.fields.visible as string[]));
  const merged: FieldPermissions = { ...permissions };
  for (const name of topLevelFields(schema).keys()) {
    if (!visible.has(name) && merged[name] !== 'required') merged[name] = 'hidden';
  }
  return merged;
}

export async function taskForm(db: Db, task: TaskRow, viewer?: AuthUser): Promise<TaskFormView> {
  const instance = await findInstance(db, task.instanceId);
  if (!instance) throw new NotFoundError(`Process instance ${task.instanceId} does not exist`);
  const definition = await definitionById(db, instance.definitionId);
  const node = definition?.process.nodes[task.elementId];
  let permissions = node ? fieldPermissionsOf(node) : {};
  // Seen from the task's token (local variables included); a closed task's token may be gone.
  const execution = instance.state.executions.find((candidate) => candidate.id === task.executionId);
  const variables = execution ? visibleVariables(instance.state, execution) : instance.variables;
  const stored = task.formKey ? await getFormVersion(db, task.formKey) : undefined;
  if (viewer && task.formKey && stored) permissions = await groupHiddenFields(db, task.formKey, viewer, permissions, stored.schema);
  return {
    formKey: task.formKey,
    form: stored
      ? { schema: visibleSchema(permissions, stored.schema), uiSchema: visibleUiSchema(permissions, stored.uiSchema ?? {}) }
      : null,
    data: visibleData(permissions, stored ? formFieldsOf(stored.schema, variables) : variables),
    // Hidden fields are left out entirely: not even their names reach the assignee.
    fieldPermissions: Object.fromEntries(Object.entries(permissions).filter(([, access]) => access !== 'hidden')),
    allowedActions: node ? allowedActionsOf(node) : [],
    nodeKind: node ? nodeKindOf(node) : 'approval',
  };
}

/**
 * With a form, the task shows the record, not the process: variables such as `approved`,
 * `<node>_decision` or `recordId` would fail a form with `additionalProperties: false`.
 */
function formFieldsOf(schema: Record<string, unknown>, variables: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties;
  if (!properties || typeof properties !== 'object') return variables;
  return Object.fromEntries(Object.entries(variables).filter(([name]) => Object.hasOwn(properties, name)));
}
