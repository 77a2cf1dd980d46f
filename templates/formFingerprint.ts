/**
 * A fingerprint of a form's content (schema and uiSchema): SHA-256 of its canonical JSON
 * (object keys sorted at every level — PostgreSQL's jsonb does not keep key order), so a
 * stored version and a template file compare equal exactly when their content does.
 * A template form lists the fingerprints of its earlier shipped versions in `replaces`: the
 * loader upgrades an installed form only while it is still one of those, untouched by an admin.
 */
import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function formFingerprint(form: { schema: unknown; uiSchema: unknown }): string {
  return createHash('sha256').update(JSON.stringify(canonical({ schema: form.schema, uiSchema: form.uiSchema }))).digest('hex');
}
