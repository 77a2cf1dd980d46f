/**
 * The token tree of one process instance, stored as JSON in `process_instances.state`.
 *
 * Every execution is either the root (the process scope, id = instance id), a token
 * sitting at a flow node, or a token that is itself a scope for the tokens inside it
 * (a sub-process, an event sub-process, a multi-instance body). Child executions point
 * at their enclosing scope with `parentId`.
 */
export interface Execution {
  id: string;
  parentId: string | null;
  /** The flow node the token is at; the process id for the root. */
  elementId: string;
  status: 'active' | 'waiting' | 'joining';
  /** Local variables; present only on executions that open a variable scope. */
  variables?: Record<string, unknown>;
  /** The `activity_history` row of the node the token is at. */
  historyId?: string;
  /** The sequence flow the token arrived by (joins count arrivals). */
  arrivedVia?: string;
  /** Set on a multi-instance body (the token that holds the inner instances). */
  multiInstance?: MultiInstanceBody;
  /** Set on an inner instance of a multi-instance activity. */
  innerInstance?: boolean;
  /** For a token waiting at a call activity: the called instance. */
  calledInstanceId?: string;
}

export interface MultiInstanceBody {
  total: number;
  completed: number;
  /** Next loop counter to start (sequential multi-instance starts them one at a time). */
  nextIndex: number;
  /** The resolved collection, kept so sequential instances see the same list. */
  collection?: unknown[];
}

export interface InstanceState {
  executions: Execution[];
}

export function rootExecution(state: InstanceState): Execution {
  const root = state.executions.find((execution) => execution.parentId === null);
  if (!root) throw new Error('instance state has no root execution');
  return root;
}

export function childrenOf(state: InstanceState, parentId: string): Execution[] {
  return state.executions.filter((execution) => execution.parentId === parentId);
}

/** Every execution below `parentId`, deepest first (the order to cancel them in). */
export function descendantsOf(state: InstanceState, parentId: string): Execution[] {
  const result: Execution[] = [];
  for (const child of childrenOf(state, parentId)) {
    result.push(...descendantsOf(state, child.id), child);
  }
  return result;
}

/**
 * Subscriptions and jobs of a scope's event sub-process start events are owned by this
 * pseudo execution id, so that they can be dropped apart from the scope's own waits.
 */
export function eventSubProcessOwner(scopeExecutionId: string): string {
  return `${scopeExecutionId}/event-sub-processes`;
}

export function scopeOfEventSubProcessOwner(ownerId: string): string | null {
  const suffix = '/event-sub-processes';
  return ownerId.endsWith(suffix) ? ownerId.slice(0, -suffix.length) : null;
}
