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
   * Candidate-group names the user belongs to: the role name and each department's code.
   * A task whose candidateGroups intersects this list may be claimed by the user.
   */
  groups: string[];
}
