/**
 * The server's answers, named for the designer. Every type here is an alias of the types
 * generated from /api/openapi.json (schema.generated.ts, `npm run gen:api`), so a page reads
 * the contract the server is tested against instead of its own copy of it.
 */
import type { components, operations, SocketEvents } from './schema.generated.ts';

type Schemas = components['schemas'];

/** The JSON body of operation `Op`'s success answer (200 or 201). */
export type ApiResponse<Op extends keyof operations> = operations[Op]['responses'] extends infer R
  ? R extends { 200: { content: { 'application/json': infer Body } } }
    ? Body
    : R extends { 201: { content: { 'application/json': infer Body } } }
      ? Body
      : never
  : never;

/** The JSON request body operation `Op` takes. */
export type ApiRequestBody<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** The payload of socket.io event `E`. */
export type SocketEventPayload<E extends keyof SocketEvents> = SocketEvents[E];
export type { SocketEvents };

/** `{items, total}` of one page. */
export interface Page<T> {
  items: T[];
  total: number;
}

export type CurrentUser = Schemas['AuthUser'];
export type Role = CurrentUser['role'];
export type User = Schemas['User'];
export type Department = Schemas['Department'];
export type FormVersion = Schemas['Form'];
export type FormRecord = Schemas['Record'];
export type FlowForm = Schemas['FlowForm'];
export type Definition = Schemas['Definition'];
export type Instance = Schemas['Instance'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type Task = Schemas['Task'];
export type ApprovalProgress = Schemas['ApprovalProgress'];
export type TaskAction = Schemas['TaskAction'];
export type Job = Schemas['Job'];
export type Incident = Schemas['Incident'];
export type InboxItem = Schemas['InboxItem'];
export type Routing = Schemas['Routing'];
export type Automation = Schemas['Automation'];
export type AutomationRun = Schemas['AutomationRun'];
export type MessageTemplate = Schemas['MessageTemplate'];
export type PrintTemplate = Schemas['PrintTemplate'];
