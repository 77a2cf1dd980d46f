/** Data permissions (权限组): the shapes stored in `permission_groups` and answered by the API. */

export type RecordAction = 'view' | 'add' | 'edit' | 'delete' | 'export' | 'import' | 'print' | 'unmask';
export const RECORD_ACTIONS: readonly RecordAction[] = ['view', 'add', 'edit', 'delete', 'export', 'import', 'print', 'unmask'];

export interface GroupMembers {
  users: string[];
  departments: string[];
  roles: string[];
  everyone: boolean;
  /** Per record: the user is the record's owner (the form's owner field holds their username). */
  owner: boolean;
  /** Per record: the user created the record. */
  creator: boolean;
  /** Per record: the user heads a department (or one above it) the owner belongs to. */
  ownerDepartmentHead: boolean;
}

export type FieldList = '*' | string[];

export interface GroupFields {
  visible: FieldList;
  editable: FieldList;
}

export type FilterOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'in' | 'empty' | 'notEmpty';
export const FILTER_OPERATORS: readonly FilterOperator[] = ['=', '!=', '>', '>=', '<', '<=', 'contains', 'in', 'empty', 'notEmpty'];

/** `$me`: the user's username; `$myDepartments`: the user's department ids. */
export type FilterValue = string | number | boolean | null | (string | number)[];

export interface FilterRule {
  /** A top-level form field, `$creator` (the creator's username) or `$ownerDepartment` (the owner's department ids). */
  field: string;
  operator: FilterOperator;
  value?: FilterValue;
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
  fields: GroupFields;
  filter: GroupFilter | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

/** What a caller sends to create or replace a group. */
export type PermissionGroupInput = Omit<PermissionGroup, 'id' | 'formKey' | 'createdAt' | 'updatedAt' | 'updatedBy' | 'position'> & {
  position?: number;
};

export const EMPTY_MEMBERS: GroupMembers = {
  users: [],
  departments: [],
  roles: [],
  everyone: false,
  owner: false,
  creator: false,
  ownerDepartmentHead: false,
};
