/**
 * What a visitor may fill in. A form made for staff can hold fields that reach into the
 * organisation's data — a lookup of customer records, a user or department picker, an
 * upload, a link to an instance (`format: uuid`) — which a visitor must neither see filled
 * nor set: they are left off the public page and dropped from the answer (unless the link
 * fixes them); so are the fields a start link's process keeps to itself (startFields.ts). The link's fixed values (`prefill`) are shown read-only and always win.
 */
const STAFF_WIDGETS = new Set(['user-picker', 'department-picker', 'attachment', 'image', 'signature']);

type Schema = Record<string, unknown>;

export function staffOnlyFields(schema: Schema): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  return Object.entries(properties)
    .filter(([, field]) => {
      if (!field || typeof field !== 'object') return false;
      return Boolean(field['x-lookup']) || STAFF_WIDGETS.has(String(field['x-widget'] ?? '')) || field.format === 'uuid';
    })
    .map(([name]) => name);
}

/** The answer as stored: staff-only fields dropped, then the link's fixed values over it. */
export function publicAnswer(schema: Schema, data: unknown, prefill: Record<string, unknown>, closed: string[] = []): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  const kept = { ...(data as Record<string, unknown>) };
  for (const name of [...staffOnlyFields(schema), ...closed]) delete kept[name];
  return { ...kept, ...prefill };
}

/** The fields the page leaves off: staff-only ones the link does not fix. */
export function hiddenOnPage(schema: Schema, prefill: Record<string, unknown>, closed: string[] = []): string[] {
  return [...new Set([...staffOnlyFields(schema), ...closed])].filter((name) => !(name in prefill));
}
