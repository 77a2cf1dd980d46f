/** The flow-form API (server/routes/flowForms.ts): what a user may start, and its start form. */
import { api, ApiError } from '../api/client.ts';
import type { ApiResponse, FlowForm, FormVersion } from '../api/types.ts';

export type { FlowForm };

/** The start form flattened for the page: the form's schemas next to the flow's names. */
export interface StartForm extends Pick<StartFormAnswer, 'formKey' | 'title' | 'definitionName' | 'fieldPermissions'> {
  /** null on an older server, which answers the plain form. */
  definitionKey: string | null;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
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

type StartFormAnswer = ApiResponse<'getFlowStartForm'>;

/** The form as the start node shows it; falls back to the plain latest form on older servers. */
export async function loadStartForm(formKey: string): Promise<StartForm> {
  try {
    const answer = await api.get<StartFormAnswer>(`/flow-forms/${encodeURIComponent(formKey)}`);
    return { ...answer, schema: answer.form.schema, uiSchema: answer.form.uiSchema };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404 || err.code === 'no_flow_bound') throw err;
  }
  const form = await api.get<FormVersion>(`/forms/${encodeURIComponent(formKey)}`);
  return { formKey, title: form.title, definitionName: null, definitionKey: null, schema: form.schema, uiSchema: form.uiSchema ?? {}, fieldPermissions: {} };
}
