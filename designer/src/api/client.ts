/**
 * The one way the designer talks to the server: JSON over fetch with the session cookie
 * (set by `POST /api/auth/login`, httpOnly), the UI language as Accept-Language so 422
 * messages come back in it, and the server's error shape turned into an `ApiError`.
 * Every request carries `X-Requested-With: liuzhuan`: the server refuses cookie-authenticated
 * writes without it, which a page on another origin cannot add (server/http/csrf.ts).
 */
import { currentLocale } from '../i18n/i18n.tsx';
import { operationRoutes, type operations } from './schema.generated.ts';
import type { ApiRequestBody, ApiResponse } from './types.ts';

export interface ErrorDetail {
  pointer: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Accept-Language': currentLocale(),
      'X-Requested-With': 'liuzhuan',
      // A FormData body (a file upload) sets its own multipart Content-Type with the boundary.
      ...(body === undefined || body instanceof FormData ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    if (response.status === 401 && !path.startsWith('/auth/')) window.dispatchEvent(new Event('liuzhuan:unauthorized'));
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? response.statusText, error?.details ?? []);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** A multipart POST (file uploads: record imports, app packages). */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
};

/** `?a=1&b=x` from an object, skipping empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

type Parameters<Op extends keyof operations> = operations[Op]['parameters'];

/** What `call` needs besides the operation: its path parameters, query and body, typed from the document. */
export type CallInput<Op extends keyof operations> = (Parameters<Op> extends { path: infer P extends object } ? { path: P } : { path?: never }) & {
  query?: Parameters<Op> extends { query?: infer Q } ? Q : never;
  body?: ApiRequestBody<Op>;
};

/**
 * The typed way to call the server: `call('getTaskForm', { path: { id } })` answers the
 * operation's documented 2xx body, and path, query and body are checked against the OpenAPI
 * document at compile time. Same request as `api` (cookie, X-Requested-With, ApiError).
 */
export function call<Op extends keyof operations>(operation: Op, ...[input]: {} extends CallInput<Op> ? [CallInput<Op>?] : [CallInput<Op>]): Promise<ApiResponse<Op>> {
  const [method, template] = operationRoutes[operation];
  const params = (input?.path ?? {}) as Record<string, string | number>;
  const path = template.replace(/^\/api/, '').replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  const search = query((input?.query ?? {}) as Record<string, string | number | boolean | null | undefined>);
  const verb = method.toUpperCase() as Method;
  // Like `api.post`: a write without a body sends `{}` (the server reads JSON bodies only).
  const body = verb === 'GET' || verb === 'DELETE' ? undefined : (input?.body ?? {});
  return request<ApiResponse<Op>>(verb, `${path}${search}`, body);
}
