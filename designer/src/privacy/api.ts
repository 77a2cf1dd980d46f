/**
 * The calls behind 审计日志, 个人信息 (the data subject's rights), 保留期限 and 显示 (unmask):
 * server routes of engine/audit and engine/privacy.
 */
import { api, query } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';

/** One audit row, as the OpenAPI document describes it (engine/audit/search.ts). */
export type AuditEntry = ApiResponse<'searchAuditLog'>['items'][number];

export interface AuditQuery {
  actor?: string;
  action?: string;
  formKey?: string;
  from?: string;
  to?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface Identifiers {
  phone?: string;
  email?: string;
  idNumber?: string;
  name?: string;
}

/** What names a person: grouped by kind (records, history entries, notifications, …). */
export type SubjectFindings = Record<string, unknown>;

export interface Retention {
  /** ISO-8601 duration: P3Y, P6M, P90D. */
  after: string;
  basis: 'createdAt' | 'updatedAt';
  action: 'erase' | 'anonymise';
}

const form = (key: string) => `/forms/${encodeURIComponent(key)}`;

export const privacyApi = {
  audit: (params: AuditQuery) => api.get<{ items: AuditEntry[]; total: number }>(`/audit${query({ ...params })}`),
  /** The CSV download (a plain GET with the session cookie). */
  auditExportUrl: (params: AuditQuery) => `/api/audit/export${query({ ...params, page: undefined, pageSize: undefined })}`,
  search: (identifiers: Identifiers) => api.post<SubjectFindings>('/privacy/search', { identifiers }),
  export: (identifiers: Identifiers) => api.post<Record<string, unknown>>('/privacy/export', { identifiers }),
  /** `records`: anonymise them (their personal values removed, other mentions ***) or delete them. */
  erase: (identifiers: Identifiers, records: 'anonymise' | 'delete') => api.post<Record<string, unknown>>('/privacy/erase', { identifiers, confirm: true, records }),
  retention: (key: string) => api.get<Retention | null | { retention: Retention | null }>(`${form(key)}/retention`).then(unwrapRetention),
  saveRetention: (key: string, retention: Retention | null) => api.put<unknown>(`${form(key)}/retention`, { retention }),
  unmask: (key: string, id: string, fields?: string[]) =>
    api.post<{ data: Record<string, unknown> }>(`${form(key)}/records/${encodeURIComponent(id)}/unmask`, fields ? { fields } : {}),
};

function unwrapRetention(answer: Retention | null | { retention: Retention | null } | undefined): Retention | null {
  if (!answer) return null;
  if ('retention' in answer) return answer.retention;
  return 'after' in answer && answer.after ? answer : null;
}
