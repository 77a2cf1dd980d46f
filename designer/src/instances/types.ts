/**
 * The task and instance answers the staff workspace reads, as generated from the OpenAPI
 * document (designer/src/api/types.ts), plus the designer's own names for their parts.
 */
import type { ApiResponse } from '../api/types.ts';

export type TaskForm = ApiResponse<'getTaskForm'>;
/** An instance with the record a flow form started it from. */
export type InstanceView = ApiResponse<'getInstance'>;
export type DiagramView = ApiResponse<'getInstanceDiagram'>;
export type TaskActionName = TaskForm['allowedActions'][number];
/** What a form shows for a field at this task (hidden fields never reach the client). */
export type FieldAccess = Exclude<TaskForm['fieldPermissions'][string], 'hidden'>;
