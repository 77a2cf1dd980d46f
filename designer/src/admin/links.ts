/** Where the admin pages link to in other features (kept in one place so they stay in step). */
export const links = {
  formDesign: (key: string) => `/forms/${encodeURIComponent(key)}/design`,
  formRecords: (key: string) => `/forms/${encodeURIComponent(key)}/records`,
  flowDesign: (key: string) => `/flows/${encodeURIComponent(key)}/design`,
  instance: (id: string) => `/instances/${id}`,
  routing: (formKey: string) => `/admin/routing?form=${encodeURIComponent(formKey)}`,
  messageTemplate: (key: string) => `/admin/templates?tab=messages&key=${encodeURIComponent(key)}`,
  printTemplate: (key: string) => `/admin/templates?tab=print&key=${encodeURIComponent(key)}`,
  /** The server's A4 print page of one record (opens in a new tab). */
  printPage: (formKey: string, recordId: string, template?: string) =>
    `/api/forms/${encodeURIComponent(formKey)}/records/${recordId}/print${template ? `?template=${encodeURIComponent(template)}` : ''}`,
};
