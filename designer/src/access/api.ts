/**
 * The calls behind 数据权限 and 角色 (server/routes for permission groups, access settings,
 * my-access and roles). Shapes follow the shared issue-14 design; the group is edited as a
 * whole and sent back whole (POST to add, PUT to replace).
 */
import { call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';

export const RECORD_ACTIONS = ['view', 'add', 'edit', 'delete', 'export', 'import', 'print', 'unmask'] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];

export interface GroupMembers {
  users: string[];
  departments: string[];
  roles: string[];
  everyone: boolean;
  owner: boolean;
  creator: boolean;
  ownerDepartmentHead: boolean;
}

export type FieldList = '*' | string[];

export type { FilterRule, GroupFilter } from './groupTypes.ts';
import type { GroupFilter } from './groupTypes.ts';

export interface PermissionGroup {
  id: string;
  formKey: string;
  name: string;
  nameEn: string | null;
  position: number;
  members: GroupMembers;
  actions: RecordAction[];
  fields: { visible: FieldList; editable: FieldList };
  filter: GroupFilter | null;
  updatedAt?: string;
}

/** What the editor sends: the group without its server-kept members. */
export type PermissionGroupInput = Omit<PermissionGroup, 'id' | 'formKey' | 'position' | 'updatedAt'> & { position?: number };

/** The caller's rights on a form, for the UI only (the server enforces them); `fields.queryable`: usable in filters and sorts. */
export type MyAccess = ApiResponse<'getMyAccess'>;

export type Role = ApiResponse<'listRoles'>[number];

export const accessApi = {
  groups: (key: string) => call('listPermissionGroups', { path: { key } }) as Promise<PermissionGroup[]>,
  createGroup: (key: string, group: PermissionGroupInput) => call('createPermissionGroup', { path: { key }, body: group as never }) as Promise<PermissionGroup>,
  updateGroup: (key: string, id: string, group: PermissionGroupInput) => call('replacePermissionGroup', { path: { key, id }, body: group as never }) as Promise<PermissionGroup>,
  deleteGroup: (key: string, id: string) => call('deletePermissionGroup', { path: { key, id } }),
  settings: (key: string) => call('getAccessSettings', { path: { key } }),
  saveSettings: (key: string, ownerField: string | null) => call('saveAccessSettings', { path: { key }, body: { ownerField } }),
  myAccess: (key: string): Promise<MyAccess> => call('getMyAccess', { path: { key } }),
  roles: (): Promise<Role[]> => call('listRoles'),
  createRole: (role: { code: string; name: string; nameEn: string | null }) => call('createRole', { body: role as never }),
  updateRole: (code: string, role: { name: string; nameEn: string | null }) => call('changeRole', { path: { code }, body: role as never }),
  deleteRole: (code: string) => call('deleteRole', { path: { code } }),
};

export const emptyMembers = (): GroupMembers => ({ users: [], departments: [], roles: [], everyone: false, owner: false, creator: false, ownerDepartmentHead: false });
