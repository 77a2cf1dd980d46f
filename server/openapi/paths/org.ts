/** Users and departments (the organisation chart). */
import { arrayOf, bool, nullable, obj, operation, pathParam, ref, str, uuid, type Json, type Paths } from '../builders.ts';

const idList = (description: string): Json => ({ ...arrayOf(uuid(), description), uniqueItems: true, maxItems: 1000 });
const userFields: Record<string, Json> = {
  displayName: str(undefined, { minLength: 1, maxLength: 100 }),
  email: nullable(str(undefined, { format: 'email', maxLength: 200 })),
  password: str('At least 8 characters', { minLength: 8, maxLength: 1000 }),
  role: { enum: ['admin', 'staff'], default: 'staff' },
  locale: { enum: ['zh-CN', 'en'] },
  departmentIds: idList('Departments the user is a member of'),
  roles: { ...arrayOf(str(), 'Role codes beside the system role (GET /api/roles); replaces the list'), uniqueItems: true, maxItems: 50 },
};
const departmentFields: Record<string, Json> = {
  name: str(undefined, { minLength: 1, maxLength: 100 }),
  nameEn: nullable(str(undefined, { maxLength: 100 })),
  parentId: nullable(uuid()),
  headUserId: nullable(uuid('负责人')),
};
const userId = pathParam('id', 'User id', { type: 'string', format: 'uuid' });
const departmentId = pathParam('id', 'Department id', { type: 'string', format: 'uuid' });

export const orgPaths: Paths = {
  '/api/users': {
    get: operation({
      operationId: 'listUsers',
      tag: 'users',
      summary: 'List users (for pickers)',
      summaryZh: '用户列表',
      response: arrayOf(ref('User')),
    }),
    post: operation({
      operationId: 'createUser',
      tag: 'users',
      summary: 'Create a user',
      summaryZh: '新建用户',
      admin: true,
      body: obj(
        { username: str('Lower-case letters, digits, . _ -; not "system"', { pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' }), ...userFields },
        ['username', 'displayName', 'password'],
      ),
      status: 201,
      response: ref('User'),
      errors: [409],
    }),
  },
  '/api/users/{id}': {
    patch: operation({
      operationId: 'changeUser',
      tag: 'users',
      summary: 'Change a user (a new password or deactivation ends their sessions)',
      summaryZh: '修改用户',
      admin: true,
      parameters: [userId],
      body: obj({ ...userFields, active: bool() }),
      response: ref('User'),
      errors: [404, 409],
    }),
  },
  '/api/departments': {
    get: operation({
      operationId: 'listDepartments',
      tag: 'departments',
      summary: 'List departments',
      summaryZh: '部门列表',
      response: arrayOf(ref('Department')),
    }),
    post: operation({
      operationId: 'createDepartment',
      tag: 'departments',
      summary: 'Create a department',
      summaryZh: '新建部门',
      admin: true,
      body: obj({ code: str('Candidate-group name; not admin/staff', { pattern: '^[a-z][a-z0-9_-]{1,63}$' }), ...departmentFields }, [
        'code',
        'name',
      ]),
      status: 201,
      response: ref('Department'),
      errors: [409],
    }),
  },
  '/api/departments/{id}': {
    patch: operation({
      operationId: 'changeDepartment',
      tag: 'departments',
      summary: 'Rename, move or change the head of a department',
      summaryZh: '修改部门',
      admin: true,
      parameters: [departmentId],
      body: { ...obj(departmentFields), minProperties: 1, additionalProperties: false },
      response: ref('Department'),
      errors: [404],
    }),
  },
  '/api/departments/{id}/members': {
    put: operation({
      operationId: 'setDepartmentMembers',
      tag: 'departments',
      summary: 'Replace the members of a department',
      summaryZh: '设置部门成员',
      admin: true,
      parameters: [departmentId],
      body: obj({ userIds: idList('Every member, replacing the current list') }, ['userIds']),
      response: ref('Department'),
      errors: [404],
    }),
  },
};
