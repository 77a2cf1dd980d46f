/**
 * Who may do what with which records and fields of a form (权限组), evaluated for one user.
 *
 * A group applies to a record for a user when the user is a member AND the record matches the
 * group's filter. Membership has two kinds, combined:
 * - direct: listed user, member of a listed department, holder of a listed role, or `everyone`;
 * - per record: the record's owner, its creator, or head of a department the owner is in.
 * A group naming only one kind needs only that kind; a group naming both needs both (销售-本人客户:
 * role `sales` AND owner of the record). Rights on a record are the union over the groups that
 * apply; its visible fields the union of `fields.visible` of the groups giving `view`, its
 * editable fields the union of `fields.editable` of those giving `edit` (or `add` on a new one).
 *
 * A form without groups keeps the implicit default (everyone view/add/print/export, the creator
 * edit/delete, every field, no unmask); system admins may do everything. Flow-form records stay
 * readable by those involved in their instance (engine/identity/instanceAccess.ts).
 *
 * Every condition is SQL over `records` (alias `records`) with bindings only (filter.ts), so a
 * list, a count, a chart and a single read share one definition.
 */
import type { Knex } from 'knex';
import { NotFoundError, ForbiddenError } from '../errors.ts';
import { involvementCondition } from '../identity/instanceAccess.ts';
import type { AuthUser } from '../identity/types.ts';
import { getFormVersion } from '../store/forms.ts';
import type { RecordView } from '../store/records.ts';
import { and, compileFilter, FALSE, or, TRUE, type Sql } from './filter.ts';
import { maskPersonalData } from './masking.ts';
import { topLevelFields } from './schemaFields.ts';
import { configuredOwnerField, headedDepartmentIds, listGroups } from './store.ts';
import { RECORD_ACTIONS, type PermissionGroup, type RecordAction } from './types.ts';

type Schema = Record<string, any>;

export interface ApplicableGroup {
  group: PermissionGroup;
  /** membership AND filter, over `records`. */
  condition: Sql;
  /** The user is a direct member (user, department, role, everyone). */
  direct: boolean;
}

export interface RowRights {
  actions: Set<RecordAction>;
  visible: '*' | Set<string>;
  editable: '*' | Set<string>;
}

export interface FormAccess {
  formKey: string;
  user: AuthUser;
  /** A system admin: every action on every record and field. */
  admin: boolean;
  /** The form has no permission groups: the implicit default applies. */
  implicit: boolean;
  ownerField: string | null;
  /** The latest schema and its top-level fields. */
  schema: Schema;
  fields: Map<string, Schema>;
  /** The groups that may apply to this user (on some records). */
  groups: ApplicableGroup[];
  /** The user is involved in the record's instance (flow-form records). */
  involved: Sql;
  /** Rights per record id, filled by `resolveRows`. */
  rows: Map<string, RowRights>;
}

/** The owner field: configured in form_access, else `owner` when the schema has it. */
async function ownerFieldOf(db: Knex, formKey: string, fields: Map<string, Schema>): Promise<string | null> {
  const configured = await configuredOwnerField(db, formKey);
  if (configured !== undefined) return configured;
  return fields.has('owner') ? 'owner' : null;
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.includes(x));
}

function directMember(group: PermissionGroup, user: AuthUser): boolean {
  const m = group.members;
  return m.everyone || m.users.includes(user.id) || intersects(m.departments, user.departmentIds) || intersects(m.roles, user.roles ?? [user.role]);
}

function hasDirectMembers(group: PermissionGroup): boolean {
  const m = group.members;
  return m.everyone || m.users.length > 0 || m.departments.length > 0 || m.roles.length > 0;
}

/** The per-record membership condition, or null when the group names none. */
function relationCondition(group: PermissionGroup, user: AuthUser, ownerField: string | null, headed: string[]): Sql | null {
  const m = group.members;
  if (!m.owner && !m.creator && !m.ownerDepartmentHead) return null;
  const parts: Sql[] = [];
  if (m.owner && ownerField) parts.push({ sql: '(records.data ->> ?) = ?', bindings: [ownerField, user.username] });
  if (m.creator) parts.push({ sql: 'records.created_by = ?::uuid', bindings: [user.id] });
  if (m.ownerDepartmentHead && ownerField && headed.length) {
    parts.push({
      sql: `EXISTS (SELECT 1 FROM users hu JOIN department_members hm ON hm.user_id = hu.id
                    WHERE hu.username = (records.data ->> ?) AND hm.department_id = ANY (?::uuid[]))`,
      bindings: [ownerField, headed],
    });
  }
  return or(...parts);
}

export async function formAccess(db: Knex, user: AuthUser, formKey: string): Promise<FormAccess> {
  const form = await getFormVersion(db, formKey);
  if (!form) throw new NotFoundError(`No form "${formKey}"`);
  const schema = form.schema as Schema;
  const fields = topLevelFields(schema);
  const admin = user.role === 'admin';
  const all = admin ? [] : await listGroups(db, formKey);
  const ownerField = await ownerFieldOf(db, formKey, fields);
  const needsHeads = all.some((g) => g.members.ownerDepartmentHead);
  const headed = needsHeads ? await headedDepartmentIds(db, user.id) : [];
  const groups: ApplicableGroup[] = [];
  for (const group of all) {
    const direct = directMember(group, user);
    if (hasDirectMembers(group) && !direct) continue;
    const relation = relationCondition(group, user, ownerField, headed);
    if (!direct && !relation) continue;
    const membership = relation ?? TRUE;
    if (membership.sql === 'FALSE') continue;
    const filter = compileFilter(group.filter, { username: user.username, departmentIds: user.departmentIds, fields, ownerField });
    groups.push({ group, condition: and(membership, filter), direct });
  }
  const involvement = involvementCondition('records.instance_id', user);
  return {
    formKey,
    user,
    admin,
    implicit: !admin && all.length === 0,
    ownerField,
    schema,
    fields,
    groups,
    involved: { sql: `(records.instance_id IS NOT NULL AND ${involvement.sql})`, bindings: involvement.bindings },
    rows: new Map(),
  };
}

/** SQL true for the rows of `records` the user may `action`. */
export function rowCondition(access: FormAccess, action: RecordAction): Sql {
  if (access.admin) return TRUE;
  if (access.implicit) {
    if (action === 'edit' || action === 'delete') return { sql: 'records.created_by = ?::uuid', bindings: [access.user.id] };
    if (action === 'unmask' || action === 'import') return FALSE;
    if (action === 'add') return TRUE;
    return or({ sql: 'records.instance_id IS NULL', bindings: [] }, access.involved);
  }
  const granted = access.groups.filter((g) => g.group.actions.includes(action)).map((g) => g.condition);
  // Those involved in a flow record's instance read it whatever the groups say.
  if (action === 'view') granted.push(access.involved);
  return or(...granted);
}

/** Adds to a query over `records` (alias `records`) the condition "user may `action` this row". */
export function restrictRows(query: Knex.QueryBuilder, access: FormAccess, action: RecordAction): Knex.QueryBuilder {
  const condition = rowCondition(access, action);
  if (condition.sql === 'TRUE') return query;
  return query.whereRaw(condition.sql, condition.bindings);
}

function unionFields(lists: ('*' | string[])[]): '*' | Set<string> {
  if (lists.some((l) => l === '*')) return '*';
  return new Set(lists.flatMap((l) => l as string[]));
}

/** Fields usable in filters, sorts, group-bys and aggregations: visible in every group that gives the user view. */
export function queryableFields(access: FormAccess): '*' | Set<string> {
  if (access.admin || access.implicit) return '*';
  const viewing = access.groups.filter((g) => g.group.actions.includes('view'));
  if (viewing.length === 0) return fallbackVisible(access);
  let result: '*' | Set<string> = '*';
  for (const g of viewing) {
    const visible = g.group.fields.visible;
    if (visible === '*') continue;
    result = result === '*' ? new Set(visible) : new Set(visible.filter((f) => (result as Set<string>).has(f)));
  }
  return result;
}

/**
 * Fields a user sees on a flow record they read only through their instance: everything,
 * unless they are a direct member of some group of the form (then what those groups show).
 */
function fallbackVisible(access: FormAccess): '*' | Set<string> {
  const direct = access.groups.filter((g) => g.direct && g.group.actions.includes('view'));
  if (direct.length === 0) return access.groups.some((g) => g.direct) ? new Set() : '*';
  return unionFields(direct.map((g) => g.group.fields.visible));
}

const ALL_ACTIONS = new Set<RecordAction>(RECORD_ACTIONS);

function rightsFromMatches(access: FormAccess, matched: ApplicableGroup[], involved: boolean, creator: boolean): RowRights {
  if (access.admin) return { actions: new Set(ALL_ACTIONS), visible: '*', editable: '*' };
  if (access.implicit) {
    const actions = new Set<RecordAction>(['view', 'add', 'print', 'export']);
    if (creator) {
      actions.add('edit');
      actions.add('delete');
    }
    return { actions, visible: '*', editable: '*' };
  }
  const actions = new Set<RecordAction>(matched.flatMap((g) => g.group.actions));
  const viewing = matched.filter((g) => g.group.actions.includes('view'));
  let visible = viewing.length ? unionFields(viewing.map((g) => g.group.fields.visible)) : new Set<string>();
  if (involved && viewing.length === 0) {
    actions.add('view');
    visible = fallbackVisible(access);
  }
  const editing = matched.filter((g) => g.group.actions.includes('edit'));
  const editable = editing.length ? unionFields(editing.map((g) => g.group.fields.editable)) : new Set<string>();
  return { actions, visible, editable };
}

/** One boolean column per applicable group (`g0`, `g1`, …) and `inv` for involvement. */
function rightsColumns(access: FormAccess): Sql {
  const parts = access.groups.map((g, i) => ({ sql: `COALESCE(${g.condition.sql}, FALSE) AS g${i}`, bindings: g.condition.bindings }));
  parts.push({ sql: `COALESCE(${access.involved.sql}, FALSE) AS inv`, bindings: access.involved.bindings });
  return { sql: parts.map((p) => p.sql).join(', '), bindings: parts.flatMap((p) => p.bindings) };
}

function rightsOfRow(access: FormAccess, row: Record<string, unknown>, createdBy: string | null): RowRights {
  const matched = access.groups.filter((_g, i) => row[`g${i}`] === true);
  return rightsFromMatches(access, matched, row.inv === true, createdBy === access.user.id);
}

/** Works out (one query) and remembers the user's rights on each of the records. */
export async function resolveRows(db: Knex, access: FormAccess, records: Pick<RecordView, 'id' | 'createdBy'>[]): Promise<void> {
  const missing = records.filter((r) => !access.rows.has(r.id));
  if (missing.length === 0) return;
  if (access.admin || access.implicit) {
    for (const r of missing) access.rows.set(r.id, rightsFromMatches(access, [], false, r.createdBy === access.user.id));
    return;
  }
  const columns = rightsColumns(access);
  const rows: Record<string, unknown>[] = await db('records')
    .whereIn('id', missing.map((r) => r.id))
    .select(db.raw(`records.id, records.created_by, ${columns.sql}`, columns.bindings));
  for (const row of rows) access.rows.set(row.id as string, rightsOfRow(access, row, row.created_by as string | null));
}

/** The rights on a record resolved before (`resolveRows`); nothing for one that was not. */
export function rightsOn(access: FormAccess, record: Pick<RecordView, 'id' | 'createdBy'>): RowRights {
  if (access.admin || access.implicit) return rightsFromMatches(access, [], false, record.createdBy === access.user.id);
  return access.rows.get(record.id) ?? { actions: new Set(), visible: new Set(), editable: new Set() };
}

/**
 * The rights a user would have on a new record holding `data` (created by them): what `add`
 * checks, and which fields they may fill.
 */
export async function rightsOnNew(db: Knex, access: FormAccess, data: unknown): Promise<RowRights> {
  if (access.admin || access.implicit) return rightsFromMatches(access, [], false, true);
  const columns = rightsColumns(access);
  const { rows } = await db.raw(
    `SELECT ${columns.sql} FROM (SELECT NULL::uuid AS id, ?::jsonb AS data, ?::uuid AS created_by, NULL::uuid AS instance_id) AS records`,
    [...columns.bindings, JSON.stringify(data ?? {}), access.user.id],
  );
  const matched = access.groups.filter((_g, i) => rows[0]?.[`g${i}`] === true && access.groups[i]!.group.actions.includes('add'));
  const actions = new Set<RecordAction>(matched.flatMap((g) => g.group.actions));
  const editable = matched.length ? unionFields(matched.map((g) => g.group.fields.editable)) : new Set<string>();
  const visible = matched.length ? unionFields(matched.map((g) => g.group.fields.visible)) : new Set<string>();
  return { actions, visible, editable };
}

/** Keeps the fields in `visible`. */
export function pickFields(data: Record<string, unknown>, visible: '*' | Set<string>): Record<string, unknown> {
  if (visible === '*') return data;
  return Object.fromEntries(Object.entries(data).filter(([name]) => visible.has(name)));
}

/** The record as this reader may see it: invisible fields removed, personal fields masked. */
export function shapeRecord<T extends { id: string; createdBy: string | null; data: Record<string, unknown> }>(
  access: FormAccess,
  record: T,
  schema: object = access.schema,
): T {
  const { visible } = rightsOn(access, record);
  return { ...record, data: maskPersonalData(schema, pickFields(record.data ?? {}, visible)) };
}

/** The actions the user has on the form at all (for the UI): on some record, or to add. */
export function formActions(access: FormAccess): RecordAction[] {
  if (access.admin) return [...RECORD_ACTIONS];
  if (access.implicit) return ['view', 'add', 'edit', 'delete', 'print', 'export'];
  const actions = new Set<RecordAction>(access.groups.flatMap((g) => g.group.actions));
  return RECORD_ACTIONS.filter((a) => actions.has(a));
}

/**
 * Throws unless the user may `action` (on `record`, resolved here when needed): 404 when they
 * may not even see the record (its existence stays hidden), 403 otherwise.
 */
export async function assertMay(db: Knex, access: FormAccess, action: RecordAction, record?: Pick<RecordView, 'id' | 'createdBy'>): Promise<void> {
  if (access.admin) return;
  if (!record) {
    if (!formActions(access).includes(action)) throw new ForbiddenError(`You may not ${action} records of form "${access.formKey}"`, 'access_denied');
    return;
  }
  await resolveRows(db, access, [record]);
  const rights = rightsOn(access, record);
  if (!rights.actions.has('view')) throw new NotFoundError(`No record ${record.id} in form "${access.formKey}"`);
  if (!rights.actions.has(action)) throw new ForbiddenError(`You may not ${action} this record of form "${access.formKey}"`, 'access_denied');
}
