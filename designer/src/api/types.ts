/** Shapes of the server's answers that several pages share. */
export type Role = 'admin' | 'manager' | 'staff' | string;

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  locale: string;
  departmentIds: string[];
  groups: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
}
