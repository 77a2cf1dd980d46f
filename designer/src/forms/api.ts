/** The server's form and record shapes (engine/store/forms.ts, engine/store/records.ts) and the calls on them. */
import { api, query } from '../api/client.ts';
import type { Page } from '../api/types.ts';

export interface FormVersion {
  key: string;
  title: string;
  version: number;
  latestVersion: number;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  createdAt: string;
  createdBy: string | null;
}

export interface FormRecord {
  id: string;
  formKey: string;
  formVersion: number;
  data: Record<string, unknown>;
  instanceId: string | null;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
}

export const formsApi = {
  list: () => api.get<FormVersion[]>('/forms'),
  get: (key: string, version?: number) => api.get<FormVersion>(`/forms/${encodeURIComponent(key)}${query({ version })}`),
  publish: (body: { key: string; title: string; schema: unknown; uiSchema: unknown }) =>
    api.post<{ key: string; version: number }>('/forms', body),
  records: (key: string, params: Record<string, string | number | undefined>) =>
    api.get<Page<FormRecord>>(`/forms/${encodeURIComponent(key)}/records${query(params)}`),
  record: (key: string, id: string) => api.get<FormRecord>(`/forms/${encodeURIComponent(key)}/records/${encodeURIComponent(id)}`),
  createRecord: (key: string, data: Record<string, unknown>) => api.post<FormRecord>(`/forms/${encodeURIComponent(key)}/records`, { data }),
};

/** The form's display title: the uiSchema's localized `ui:title` when present, else the stored title. */
export function formTitle(form: Pick<FormVersion, 'title' | 'uiSchema'>): unknown {
  return (form.uiSchema?.['ui:title'] as unknown) ?? form.title;
}
