/** Shapes of the task and instance answers the staff workspace reads (server/routes/tasks.ts, instances.ts). */
export type FieldAccess = 'readonly' | 'editable' | 'required';
export type TaskActionName = 'approve' | 'reject' | 'return' | 'transfer' | 'addSigner';

export interface TaskView {
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  formKey: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  priority: number;
  dueAt: string | null;
  createdAt: string;
  status: string;
}

export interface ApprovalProgress {
  elementId: string;
  mode: 'single' | 'all' | 'any' | 'sequential' | string;
  total: number;
  approved: number;
  rejected: number;
  pending: string[];
  decided: { username: string; decision: 'approve' | 'reject'; at: string }[];
  cancelled?: string[];
}

export interface TaskForm {
  task: TaskView;
  formKey: string | null;
  form: { schema: Record<string, unknown>; uiSchema: Record<string, unknown> } | null;
  data: Record<string, unknown>;
  fieldPermissions: Record<string, FieldAccess>;
  allowedActions: TaskActionName[];
  approval?: ApprovalProgress | null;
}

export interface InstanceView {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  status: string;
  variables: Record<string, unknown>;
  activeElementIds: string[];
  startedAt: string;
  endedAt: string | null;
  /** Not sent by every server version; the history's submit action names the starter too. */
  startedBy?: string | null;
  record?: { id: string; formKey: string } | null;
  incidents: { id: string; elementId: string | null; message: string; createdAt: string }[];
}

export interface HistoryEntry {
  elementId: string;
  elementType: string;
  elementName: string | null;
  executionId: string;
  startedAt: string;
  endedAt: string | null;
  cancelled: boolean;
}

export interface TaskActionEntry {
  seq: number;
  taskId: string;
  elementId: string | null;
  action: string;
  actor: string | null;
  comment: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

export interface DiagramView {
  xml: string;
  activeElementIds: string[];
  completedElementIds: string[];
}

export interface DefinitionSummary {
  id: string;
  key: string;
  version: number;
  name: string | null;
}

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
  departmentIds: string[];
}
