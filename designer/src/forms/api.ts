/** The calls on forms and records; their shapes are the generated `Form` and `Record` schemas. */
import { api, call, query } from '../api/client.ts';
import type { ApiResponse, FormRecord, FormVersion } from '../api/types.ts';

export type { FormRecord, FormVersion };
/** A row of the record list: the record, its process status and what the caller may do. */
export type RecordEntry = ApiResponse<'listRecords'>['items'][number];
/** The record page's answer: a list row plus the form's print templates. */
export type RecordDetail = ApiResponse<'getRecord'>;

export const formsApi = {
  list: () => call('listForms'),
  get: (key: string, version?: number) => api.get<FormVersion>(`/forms/${encodeURIComponent(key)}${query({ version })}`),
  publish: (body: { key: string; title: string; schema: unknown; uiSchema: unknown }) =>
    api.post<ApiResponse<'saveForm'>>('/forms', body),
  /** `params` carry `filter[field][op]`, `sort`, `page`, `pageSize` as the server reads them. */
  records: (key: string, params: Record<string, string | number | undefined>) =>
    api.get<ApiResponse<'listRecords'>>(`/forms/${encodeURIComponent(key)}/records${query(params)}`),
  record: (key: string, id: string) => call('getRecord', { path: { key, id } }),
  createRecord: (key: string, data: Record<string, unknown>) => call('createRecord', { path: { key }, body: { data } }),
  updateRecord: (key: string, id: string, data: Record<string, unknown>) => call('replaceRecord', { path: { key, id }, body: { data } }),
  deleteRecord: (key: string, id: string) => call('deleteRecord', { path: { key, id } }),
  /** The printable page (a plain GET with the session cookie, opened in its own tab). */
  printUrl: (key: string, id: string, template?: string) =>
    `/api/forms/${encodeURIComponent(key)}/records/${encodeURIComponent(id)}/print${query({ template })}`,
};

/** The form's display title: the uiSchema's localized `ui:title` when present, else the stored title. */
export function formTitle(form: Pick<FormVersion, 'title' | 'uiSchema'>): unknown {
  return (form.uiSchema?.['ui:title'] as unknown) ?? form.title;
}
