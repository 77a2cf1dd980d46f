/** Who is acting: what auth resolves a token to, and what the engine checks tasks against. */
export type Role = 'admin' | 'staff';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  locale: string;
  /** Department ids the user is a member of. */
  departmentIds: string[];
  /**
   * Every role code the user holds: the system role first, then the roles admins gave them
   * (`user_roles`, engine/access/roles.ts). Permission groups and approver rules name these.
   */
  roles: string[];
  /**
   * Candidate-group names the user belongs to: the role codes and each department's code.
   * A task whose candidateGroups intersects this list may be claimed by the user.
   */
  groups: string[];
}
