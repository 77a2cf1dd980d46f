/**
 * Formula fields (`"x-formula": "price * quantity"`): FEEL over the other fields of the
 * record, computed live in the browser with feelin (never eval) for display. The server
 * computes it again on every write (engine/forms/computedFields.ts) and stores its own value.
 */
import { evaluate } from 'feelin';
import { checkFeel } from '../../../../engine/expressions/feel.ts';

/** A human message when the FEEL text does not parse, else null: the server's own checker. */
export function checkFormula(source: string): string | null {
  if (!source.trim()) return 'empty';
  return checkFeel(source)?.replace(/^FEEL syntax error: /, '') ?? null;
}

/** The formula's value for `data`, as the field's JSON type; null when it cannot be computed. */
export function computeFormula(source: string, data: Record<string, unknown>, type: unknown): number | string | null {
  let value: unknown;
  try {
    value = evaluate(source, data).value;
  } catch {
    return null;
  }
  if (value === null || value === undefined) return null;
  if (type === 'number' || type === 'integer') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return null;
    return type === 'integer' ? Math.round(n) : Math.round(n * 1e6) / 1e6;
  }
  return typeof value === 'object' && 'toJSON' in (value as object) ? String((value as { toJSON(): unknown }).toJSON()) : String(value);
}

/** `data` with every top-level formula field recomputed; the same object when nothing changed. */
export function applyFormulas(schema: Record<string, unknown>, data: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  let out = data;
  for (const [key, field] of Object.entries(properties)) {
    const source = field['x-formula'];
    if (typeof source !== 'string') continue;
    const value = computeFormula(source, out, field.type);
    const current = out[key];
    if (value === null ? current === undefined : current === value) continue;
    out = { ...out };
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}
