/** The import endpoints (server/routes/imports.ts); the upload is multipart. */
import { api, call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';
import { currentLocale } from '../i18n/i18n.tsx';

export type ImportJob = ApiResponse<'getImport'>;
export type ImportMode = 'all_or_nothing' | 'skip_bad_rows';

const base = (formKey: string) => `/api/forms/${encodeURIComponent(formKey)}`;

export const importsApi = {
  async upload(formKey: string, file: File): Promise<ImportJob> {
    const body = new FormData();
    body.append('file', file, file.name);
    return api.upload<ImportJob>(`/forms/${encodeURIComponent(formKey)}/imports`, body);
  },
  get: (formKey: string, id: string) => call('getImport', { path: { key: formKey, id } }),
  preview: (formKey: string, id: string, mapping: (string | null)[]) =>
    call('previewImport', { path: { key: formKey, id }, body: { mapping, timezoneOffset: new Date().getTimezoneOffset() } }),
  start: (formKey: string, id: string, mapping: (string | null)[], mode: ImportMode, runAutomations: boolean) =>
    call('startImport', { path: { key: formKey, id }, body: { mapping, mode, runAutomations, timezoneOffset: new Date().getTimezoneOffset() } }),
  cancel: (formKey: string, id: string) => call('cancelImport', { path: { key: formKey, id } }),
  reportUrl: (formKey: string, id: string) => `${base(formKey)}/imports/${encodeURIComponent(id)}/report`,
  exportXlsxUrl: (formKey: string, query: string) => `${base(formKey)}/records/export.xlsx${query}`,
};
