/**
 * Small builders for the OpenAPI document (server/openapi/document.ts), so each path file
 * reads like the route it describes: summary, parameters, body, the 2xx answer and the
 * error statuses the handler can give. Errors all share one `Error` schema.
 */

export type Json = Record<string, unknown>;

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

export const str = (description?: string, extra: Json = {}): Json => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
export const uuid = (description?: string): Json => str(description, { format: 'uuid' });
export const dateTime = (description?: string): Json => str(description, { format: 'date-time' });
export const int = (description?: string, extra: Json = {}): Json => ({
  type: 'integer',
  ...(description ? { description } : {}),
  ...extra,
});
export const bool = (description?: string): Json => ({ type: 'boolean', ...(description ? { description } : {}) });
export const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
export const arrayOf = (items: Json, description?: string): Json => ({ type: 'array', items, ...(description ? { description } : {}) });
export const anyObject = (description?: string): Json => ({
  type: 'object',
  additionalProperties: true,
  ...(description ? { description } : {}),
});

/** An object schema; `required` lists the fields always present. */
export function obj(properties: Record<string, Json>, required: string[] = [], description?: string): Json {
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...(description ? { description } : {}) };
}

/** `{items, total}` of one page, as the inbox, queues and record lists answer. */
export const page = (item: Json, extra: Record<string, Json> = {}): Json =>
  obj({ items: arrayOf(item), total: int('Rows matching, over all pages'), ...extra }, ['items', 'total']);

export const pathParam = (name: string, description: string, schema: Json = { type: 'string' }): Json => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

export const queryParam = (name: string, description: string, schema: Json = { type: 'string' }): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

export const pagingParams: Json[] = [
  queryParam('page', 'Page number, from 1', { type: 'integer', minimum: 1, default: 1 }),
  queryParam('pageSize', 'Rows per page (1–100)', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
];

/** Error statuses shared through `components.responses`. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429;
export const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'Malformed request body (not JSON)' },
  401: { name: 'Unauthorized', description: 'Not logged in (no or expired token/session)' },
  403: { name: 'Forbidden', description: 'Logged in but not allowed' },
  404: { name: 'NotFound', description: 'The resource does not exist' },
  409: { name: 'Conflict', description: 'The state changed under the caller (e.g. task already completed)' },
  410: { name: 'Gone', description: 'No longer usable (a public link used, expired, revoked or closed); `code` says which' },
  413: { name: 'PayloadTooLarge', description: 'The request body is larger than this operation accepts' },
  422: { name: 'ValidationFailed', description: 'Invalid input; `details` lists each problem with its JSON pointer' },
  429: { name: 'TooManyRequests', description: 'Too many attempts; try again later' },
};

export interface OperationSpec {
  operationId: string;
  tag: string;
  summary: string;
  summaryZh?: string;
  description?: string;
  /** Health, login and this document: no token or session needed. */
  isPublic?: boolean;
  /** Only admins; adds 403 and says so in the description. */
  admin?: boolean;
  parameters?: Json[];
  body?: Json;
  /** Whether a body must be sent (default true when `body` is given). */
  bodyRequired?: boolean;
  status?: number;
  /** The 2xx JSON schema; omit for an empty answer (204). */
  response?: Json;
  responseDescription?: string;
  /** Non-JSON answers (XML, HTML). */
  contentType?: string;
  errors?: ErrorStatus[];
}

export function operation(spec: OperationSpec): Json {
  const status = spec.status ?? (spec.response || spec.contentType ? 200 : 204);
  const errors = new Set<ErrorStatus>(spec.errors ?? []);
  if (!spec.isPublic) errors.add(401);
  if (spec.admin) errors.add(403);
  if (spec.body) errors.add(400).add(422);
  const responses: Json = {
    [status]: {
      description: spec.responseDescription ?? (status === 201 ? 'Created' : status === 204 ? 'Done; no content' : 'OK'),
      ...(status === 204 ? {} : { content: { [spec.contentType ?? 'application/json']: { schema: spec.response ?? { type: 'string' } } } }),
    },
  };
  for (const code of [...errors].sort()) {
    responses[code] = { $ref: `#/components/responses/${ERROR_RESPONSES[code].name}` };
  }
  const description = [spec.description, spec.admin ? 'Admins only.' : undefined].filter(Boolean).join(' ');
  return {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.summaryZh ? { 'x-summary-zh': spec.summaryZh } : {}),
    ...(description ? { description } : {}),
    ...(spec.isPublic ? { security: [] } : {}),
    ...(spec.parameters?.length ? { parameters: spec.parameters } : {}),
    ...(spec.body ? { requestBody: { required: spec.bodyRequired ?? true, content: { 'application/json': { schema: spec.body } } } } : {}),
    responses,
  };
}

/** Path items keyed by OpenAPI path, each with its operations by lower-case method. */
export type Paths = Record<string, Record<string, Json>>;
