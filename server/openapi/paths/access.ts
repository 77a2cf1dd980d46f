/** Data permissions (权限组, server/routes/access.ts, roles.ts) and the record export (records.ts). */
import { arrayOf, bool, dateTime, int, nullable, obj, operation, pathParam, queryParam, str, uuid, type Json, type Paths } from '../builders.ts';

const formKey = pathParam('key', 'Form key');
const groupId = pathParam('id', 'Permission group id', { type: 'string', format: 'uuid' });
const roleCode = pathParam('code', 'Role code');
const actions = ['view', 'add', 'edit', 'delete', 'export', 'import', 'print', 'unmask'];
const fieldList = (description: string): Json => ({ anyOf: [{ const: '*' }, arrayOf(str())], description });

const members: Json = obj(
  {
    users: arrayOf(uuid(), 'User ids'),
    departments: arrayOf(uuid(), 'Department ids (members of them)'),
    roles: arrayOf(str(), 'Role codes (GET /api/roles)'),
    everyone: bool('Every user'),
    owner: bool("Per record: the record's owner (the form's owner field holds the user's username)"),
    creator: bool('Per record: who created the record'),
    ownerDepartmentHead: bool("Per record: the head of a department (or one above it) the owner belongs to"),
  },
  [],
  'Who is in the group. Direct members (users, departments, roles, everyone) and per-record relations (owner, creator, ownerDepartmentHead) combine with AND when both kinds are given (销售-本人客户: role sales AND owner); within a kind any one suffices.',
);
const filter: Json = nullable(
  obj(
    {
      join: { enum: ['and', 'or'] },
      rules: arrayOf(
        obj(
          {
            field: str('A top-level form field, `$creator` (creator username) or `$ownerDepartment` (the owner\'s department ids)'),
            operator: { enum: ['=', '!=', '>', '>=', '<', '<=', 'contains', 'in', 'empty', 'notEmpty'] },
            value: { description: 'A value, a list (for `in`), `$me` (your username) or `$myDepartments` (your department ids)' },
          },
          ['field', 'operator'],
        ),
        'At most 20 rules',
      ),
    },
    ['join', 'rules'],
  ),
);
const groupBody: Json = obj(
  {
    name: str(undefined, { maxLength: 100 }),
    nameEn: nullable(str()),
    position: int('Order in the list'),
    members,
    actions: arrayOf({ enum: actions }),
    fields: obj({ visible: fieldList('Fields the group sees (`*`: all)'), editable: fieldList('Fields the group may write (`*`: all)') }, ['visible', 'editable']),
    filter,
  },
  ['name', 'members', 'actions', 'fields'],
);
const group: Json = {
  allOf: [
    groupBody,
    obj({ id: uuid(), formKey: str(), createdAt: dateTime(), updatedAt: dateTime(), updatedBy: nullable(uuid()) }, ['id', 'formKey', 'position', 'createdAt', 'updatedAt', 'updatedBy']),
  ],
};
const settings: Json = obj({ ownerField: nullable(str('The field holding the owner\'s username; null: records have no owner')) }, ['ownerField']);
const role: Json = obj(
  { code: str(), name: str(), nameEn: nullable(str()), builtin: bool('admin and staff: the system roles, fixed'), userCount: int(), createdAt: dateTime() },
  ['code', 'name', 'nameEn', 'builtin', 'userCount', 'createdAt'],
);

const RULES =
  "A user's rights on a record are the union over the groups that apply to it (member AND filter matches). A form without groups: everyone views, adds, prints and exports, the creator edits and deletes. System admins may do everything.";

export const accessPaths: Paths = {
  '/api/forms/{key}/permission-groups': {
    get: operation({ operationId: 'listPermissionGroups', tag: 'permissions', summary: "A form's permission groups", summaryZh: '权限组列表', description: RULES, admin: true, parameters: [formKey], response: arrayOf(group), errors: [404] }),
    post: operation({
      operationId: 'createPermissionGroup',
      tag: 'permissions',
      summary: 'Add a permission group (at most 50 per form; fields, users, departments and roles must exist: 422 naming the pointer)',
      summaryZh: '新建权限组',
      admin: true,
      parameters: [formKey],
      body: groupBody,
      status: 201,
      response: group,
      errors: [404],
    }),
  },
  '/api/forms/{key}/permission-groups/{id}': {
    put: operation({ operationId: 'replacePermissionGroup', tag: 'permissions', summary: 'Replace a permission group', summaryZh: '修改权限组', admin: true, parameters: [formKey, groupId], body: groupBody, response: group, errors: [404] }),
    delete: operation({ operationId: 'deletePermissionGroup', tag: 'permissions', summary: 'Delete a permission group', summaryZh: '删除权限组', admin: true, parameters: [formKey, groupId], errors: [404] }),
  },
  '/api/forms/{key}/access-settings': {
    get: operation({ operationId: 'getAccessSettings', tag: 'permissions', summary: "The form's owner field", summaryZh: '数据权限设置', admin: true, parameters: [formKey], response: settings, errors: [404] }),
    put: operation({ operationId: 'saveAccessSettings', tag: 'permissions', summary: "Set the form's owner field", summaryZh: '保存数据权限设置', admin: true, parameters: [formKey], body: settings, response: settings, errors: [404] }),
  },
  '/api/forms/{key}/my-access': {
    get: operation({
      operationId: 'getMyAccess',
      tag: 'permissions',
      summary: "What the caller may do on the form at all (for the UI; the server checks each act on each record again)",
      summaryZh: '我的数据权限',
      parameters: [formKey],
      response: obj(
        {
          actions: arrayOf({ enum: actions }),
          fields: obj(
            {
              visible: fieldList('Fields some group lets the caller see'),
              editable: fieldList('Fields some group lets the caller write (add or edit)'),
              queryable: fieldList('Fields usable in filters and sorts'),
            },
            ['visible', 'editable', 'queryable'],
          ),
          personal: { type: 'object', additionalProperties: { type: 'string' }, description: 'Personal fields and their kind (shown masked)' },
          ownerField: nullable(str()),
        },
        ['actions', 'fields', 'personal', 'ownerField'],
      ),
      errors: [404],
    }),
  },
  '/api/forms/{key}/records/export': {
    get: operation({
      operationId: 'exportRecords',
      tag: 'records',
      summary: 'The records the caller may view and export, as CSV (UTF-8 with BOM; at most 5000 rows, `X-Export-Truncated: true` when more matched)',
      summaryZh: '导出数据',
      description:
        'Filters and sort as the record list (a field the caller may not query: 403 naming the parameter). Fields the caller may not see are no column / empty; personal fields masked unless `unmask=true` and the caller holds `unmask` on the row. Every export is an audit row (`record.export`).',
      parameters: [
        formKey,
        {
          name: 'filter',
          in: 'query',
          style: 'deepObject',
          explode: true,
          description: '`filter[field][op]=value` as the record list',
          schema: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
        },
        queryParam('sort', 'As the record list'),
        queryParam('unmask', 'true: personal fields in the clear where the caller holds unmask (audited)', { type: 'string', enum: ['true', 'false'] }),
      ],
      contentType: 'text/csv',
      response: { type: 'string' },
      errors: [403, 404, 422],
    }),
  },
  '/api/roles': {
    get: operation({ operationId: 'listRoles', tag: 'roles', summary: 'Roles (admin and staff builtin; the rest edited by admins)', summaryZh: '角色列表', response: arrayOf(role) }),
    post: operation({
      operationId: 'createRole',
      tag: 'roles',
      summary: 'Add a role (code: lower-case letters, digits, _ -; not a department code)',
      summaryZh: '新建角色',
      admin: true,
      body: obj({ code: str(undefined, { pattern: '^[a-z][a-z0-9_-]{1,63}$' }), name: str(), nameEn: nullable(str()) }, ['code', 'name']),
      status: 201,
      response: role,
      errors: [409],
    }),
  },
  '/api/roles/{code}': {
    put: operation({
      operationId: 'changeRole',
      tag: 'roles',
      summary: 'Rename a role (builtin: 409)',
      summaryZh: '修改角色',
      admin: true,
      parameters: [roleCode],
      body: obj({ name: str(), nameEn: nullable(str()) }),
      response: role,
      errors: [404, 409],
    }),
    delete: operation({
      operationId: 'deleteRole',
      tag: 'roles',
      summary: 'Delete a role: its holders lose it, permission groups stop naming it (builtin: 409)',
      summaryZh: '删除角色',
      admin: true,
      parameters: [roleCode],
      errors: [404, 409],
    }),
  },
};
