/** The calls on forms and records; their shapes are the generated `Form` and `Record` schemas. */
import { api, call, query } from '../api/client.ts';
import type { ApiResponse, FormRecord, FormVersion, Page } from '../api/types.ts';

export type { FormRecord, FormVersion };

export const formsApi = {
  list: () => call('listForms'),
  get: (key: string, version?: number) => api.get<FormVersion>(`/forms/${encodeURIComponent(key)}${query({ version })}`),
  publish: (body: { key: string; title: string; schema: unknown; uiSchema: unknown }) =>
    api.post<ApiResponse<'saveForm'>>('/forms', body),
  records: (key: string, params: Record<string, string | number | undefined>) =>
    api.get<Page<FormRecord>>(`/forms/${encodeURIComponent(key)}/records${query(params)}`),
  record: (key: string, id: string) => call('getRecord', { path: { key, id } }),
  createRecord: (key: string, data: Record<string, unknown>) => call('createRecord', { path: { key }, body: { data } }),
};

/** The form's display title: the uiSchema's localized `ui:title` when present, else the stored title. */
export function formTitle(form: Pick<FormVersion, 'title' | 'uiSchema'>): unknown {
  return (form.uiSchema?.['ui:title'] as unknown) ?? form.title;
}
