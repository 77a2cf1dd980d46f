/**
 * The calls behind 数据权限 and 角色 (server/routes for permission groups, access settings,
 * my-access and roles). Shapes follow the shared issue-14 design; the group is edited as a
 * whole and sent back whole (POST to add, PUT to replace).
 */
import { api } from '../api/client.ts';

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

export interface FilterRule {
  field: string;
  operator: string;
  value?: unknown;
}

export interface GroupFilter {
  join: 'and' | 'or';
  rules: FilterRule[];
}

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

/** The caller's rights on a form, for the UI only (the server enforces them). */
export interface MyAccess {
  actions: RecordAction[];
  /** `queryable`: the fields usable in filters and sorts (visible in every group giving view). */
  fields: { visible: FieldList; editable: FieldList; queryable?: FieldList };
  /** Personal fields and their kind (phone, email, idNumber, …): their values arrive masked. */
  personal: Record<string, string>;
}

export interface Role {
  code: string;
  name: string;
  nameEn: string | null;
  builtin: boolean;
}

const form = (key: string) => `/forms/${encodeURIComponent(key)}`;

export const accessApi = {
  groups: (key: string) => api.get<PermissionGroup[] | { items: PermissionGroup[] }>(`${form(key)}/permission-groups`).then(listOf),
  createGroup: (key: string, group: PermissionGroupInput) => api.post<PermissionGroup>(`${form(key)}/permission-groups`, group),
  updateGroup: (key: string, id: string, group: PermissionGroupInput) => api.put<PermissionGroup>(`${form(key)}/permission-groups/${encodeURIComponent(id)}`, group),
  deleteGroup: (key: string, id: string) => api.delete<unknown>(`${form(key)}/permission-groups/${encodeURIComponent(id)}`),
  settings: (key: string) => api.get<{ ownerField: string | null }>(`${form(key)}/access-settings`),
  saveSettings: (key: string, ownerField: string | null) => api.put<{ ownerField: string | null }>(`${form(key)}/access-settings`, { ownerField }),
  myAccess: (key: string) => api.get<MyAccess>(`${form(key)}/my-access`),
  roles: () => api.get<Role[] | { items: Role[] }>('/roles').then(listOf),
  createRole: (role: { code: string; name: string; nameEn: string | null }) => api.post<Role>('/roles', role),
  updateRole: (code: string, role: { name: string; nameEn: string | null }) => api.put<Role>(`/roles/${encodeURIComponent(code)}`, role),
  deleteRole: (code: string) => api.delete<unknown>(`/roles/${encodeURIComponent(code)}`),
};

/** A list answer, bare or as `{items}`. */
function listOf<T>(answer: T[] | { items: T[] }): T[] {
  return Array.isArray(answer) ? answer : answer.items;
}

export const emptyMembers = (): GroupMembers => ({ users: [], departments: [], roles: [], everyone: false, owner: false, creator: false, ownerDepartmentHead: false });
