/** The flow-form API (server/routes/flowForms.ts): what a user may start, and its start form. */
import { api, ApiError } from '../api/client.ts';
import type { LocalizedText } from '../i18n/i18n.tsx';

export interface FlowForm {
  formKey: string;
  title: LocalizedText;
  definitionKey: string;
  definitionName: string | null;
  version: number;
}

export interface StartForm {
  formKey: string;
  title: LocalizedText;
  definitionName: string | null;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  fieldPermissions: Record<string, 'readonly' | 'editable' | 'required'>;
}

/** null when the server has no flow forms at all (an older server answers 404). */
export async function listFlowForms(): Promise<FlowForm[] | null> {
  try {
    return await api.get<FlowForm[]>('/flow-forms');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

interface StartFormAnswer extends FlowForm {
  form: { schema: Record<string, unknown>; uiSchema: Record<string, unknown> };
  fieldPermissions: StartForm['fieldPermissions'];
}

/** The form as the start node shows it; falls back to the plain latest form on older servers. */
export async function loadStartForm(formKey: string): Promise<StartForm> {
  try {
    const answer = await api.get<StartFormAnswer>(`/flow-forms/${encodeURIComponent(formKey)}`);
    return { ...answer, schema: answer.form.schema, uiSchema: answer.form.uiSchema };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404 || err.code === 'no_flow_bound') throw err;
  }
  const form = await api.get<{ key: string; title: LocalizedText; schema: Record<string, unknown>; uiSchema: Record<string, unknown> }>(
    `/forms/${encodeURIComponent(formKey)}`,
  );
  return { formKey, title: form.title, definitionName: null, schema: form.schema, uiSchema: form.uiSchema ?? {}, fieldPermissions: {} };
}
