/**
 * Data permissions (权限组, issue 14): the API other features use. See evaluate.ts for the
 * rules; groups are stored per form (store.ts), validated (validate.ts) and their filters
 * compiled to SQL with bindings only (filter.ts).
 *
 * ```ts
 * const access = await formAccess(db, user, formKey);
 * restrictRows(db('records').where({ form_key: formKey }), access, 'view');   // rows the user may see
 * queryableFields(access);                    // '*' or the fields usable in filters/sorts/group-bys
 * await resolveRows(db, access, records);     // then shapeRecord(access, record) per record
 * await assertMay(db, access, 'edit', record); // 404 when not visible, 403 when not allowed
 * ```
 */
export type { RecordAction, PermissionGroup, PermissionGroupInput, GroupMembers, GroupFields, GroupFilter, FilterRule } from './types.ts';
export { RECORD_ACTIONS } from './types.ts';
export {
  assertMay,
  formAccess,
  formActions,
  pickFields,
  queryableFields,
  resolveRows,
  restrictRows,
  rightsOn,
  rightsOnNew,
  rowCondition,
  shapeRecord,
  type FormAccess,
  type RowRights,
} from './evaluate.ts';
