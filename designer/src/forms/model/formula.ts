/**
 * Formula fields (`"x-formula": "price * quantity"`): FEEL over the other fields of the
 * record, computed in the browser with feelin (never eval) and submitted with the data. The
 * server stores the value like any other (it checks the type, not the arithmetic).
 */
import { evaluate, parseExpression } from 'feelin';

/** A human message when the FEEL text does not parse, else null (feelin's parser is error tolerant: look for error nodes). */
export function checkFormula(source: string): string | null {
  if (!source.trim()) return 'empty';
  let errorAt = -1;
  try {
    parseExpression(source, {}, undefined).iterate({
      enter(node) {
        if (errorAt >= 0) return false;
        if (node.type.isError) {
          errorAt = node.from;
          return false;
        }
        return undefined;
      },
    });
  } catch (err) {
    return (err as Error).message;
  }
  if (errorAt < 0) return null;
  return errorAt >= source.trimEnd().length ? `unexpected end at ${errorAt}` : `unexpected "${source.slice(errorAt, errorAt + 10).split(/\s/)[0] || source[errorAt]}" at ${errorAt}`;
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
