/** Saving and reading versioned forms. Creating forms is for admins (checked by the route). */
import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../errors.ts';
import { getFormVersion, insertFormVersion, listLatestForms, type FormVersionView } from '../store/forms.ts';
import type { MessageLocale } from './messages.ts';
import { assertKnownWidgets } from './uiWidgets.ts';
import { checkFormSchema } from './schemaWorker.ts';
import { bodyValidator } from './validator.ts';

export const FORM_KEY_PATTERN = '^[a-z][a-z0-9_-]{1,63}$';

export interface FormInput {
  key: string;
  title: string;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
}

const checkFormBody = bodyValidator({
  type: 'object',
  required: ['key', 'title', 'schema'],
  properties: {
    key: { type: 'string', pattern: FORM_KEY_PATTERN },
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    schema: { type: 'object' },
    uiSchema: { type: 'object' },
  },
});

export function parseFormInput(body: unknown, locale: MessageLocale): FormInput {
  checkFormBody(body, locale);
  const { key, title, schema, uiSchema } = body as FormInput;
  return { key, title: title.trim(), schema, uiSchema: uiSchema ?? {} };
}

/** Checks the schema compiles and the uiSchema's widgets exist (422 naming the reason), then stores it as the next version. */
export async function saveForm(db: Knex, input: FormInput, createdBy: string | null): Promise<{ key: string; version: number }> {
  await checkFormSchema(input.schema);
  assertKnownWidgets(input.schema, input.uiSchema);
  const version = await insertFormVersion(db, { ...input, createdBy });
  return { key: input.key, version };
}

export async function getForm(db: Knex, key: string, versionParam?: unknown): Promise<FormVersionView> {
  let version: number | undefined;
  if (versionParam !== undefined) {
    if (typeof versionParam !== 'string' || !/^\d{1,9}$/.test(versionParam) || Number(versionParam) < 1) {
      throw new ValidationError('Invalid query parameter version', [
        { pointer: 'version', message: 'must be a whole number ≥ 1' },
      ], 'invalid_query');
    }
    version = Number(versionParam);
  }
  const form = await getFormVersion(db, key, version);
  if (!form) throw new NotFoundError(version ? `No version ${version} of form "${key}"` : `No form "${key}"`);
  return form;
}

export function listForms(db: Knex): Promise<FormVersionView[]> {
  return listLatestForms(db);
}
