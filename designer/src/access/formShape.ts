/**
 * A form's schema and uiSchema cut to what the reader may see and write (my-access), so the
 * record pages neither show an empty hidden field nor offer a field the server would refuse
 * (403 field_not_editable). The server applies the same rules on every answer and write.
 */
type Json = Record<string, unknown>;

/** The schema without the fields `sees` refuses (their values never arrive). */
export function visibleSchema<S extends Json>(schema: S, sees: (field: string) => boolean): S {
  const properties = (schema.properties ?? {}) as Json;
  if (Object.keys(properties).every(sees)) return schema;
  const kept = Object.fromEntries(Object.entries(properties).filter(([name]) => sees(name)));
  const required = Array.isArray(schema.required) ? (schema.required as string[]).filter(sees) : schema.required;
  return { ...schema, properties: kept, required };
}

/**
 * For a new record (`create`): only the fields the reader may fill. For an edit: the visible
 * fields, those they may not change read-only (and not required of them: the stored value stays).
 */
export function writableForm<S extends Json, U extends Json>(
  schema: S,
  uiSchema: U,
  rights: { sees(field: string): boolean; mayWrite(field: string): boolean },
  mode: 'create' | 'edit',
): { schema: S; uiSchema: U } {
  if (mode === 'create') return { schema: visibleSchema(schema, rights.mayWrite), uiSchema };
  const shown = visibleSchema(schema, rights.sees);
  const names = Object.keys((shown.properties ?? {}) as Json);
  const locked = names.filter((name) => !rights.mayWrite(name));
  if (!locked.length) return { schema: shown, uiSchema };
  const ui: Json = { ...uiSchema };
  for (const name of locked) ui[name] = { ...((uiSchema[name] as Json | undefined) ?? {}), 'ui:readonly': true };
  const required = Array.isArray(shown.required) ? (shown.required as string[]).filter((name) => !locked.includes(name)) : shown.required;
  return { schema: { ...shown, required }, uiSchema: ui as U };
}
