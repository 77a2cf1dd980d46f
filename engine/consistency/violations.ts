/** What `npm run check:consistency` reports: one broken invariant of the stored state each. */
export type Invariant =
  | 'token-waits-on-nothing'
  | 'task-without-waiting-token'
  | 'wait-of-finished-instance'
  | 'wait-without-token'
  | 'flow-record-mismatch';

export interface Violation {
  invariant: Invariant;
  instanceId: string;
  /** What is wrong, naming the execution, element, task, job or record involved. */
  detail: string;
}

/** The live statuses: an instance in `incident` still holds tokens that wait (for a retry). */
export const LIVE_STATUSES = ['active', 'incident'];
