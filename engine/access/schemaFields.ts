/** The top-level fields of a form schema, as permission groups name them. */
type Schema = Record<string, any>;

/** Each top-level property with its sub-schema, looking through composition keywords (as query.ts does). */
export function topLevelFields(schema: unknown): Map<string, Schema> {
  const found = new Map<string, Schema>();
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 8) return;
    const s = node as Schema;
    if (s.properties && typeof s.properties === 'object') {
      for (const [name, sub] of Object.entries(s.properties)) {
        if (!found.has(name) && sub && typeof sub === 'object') found.set(name, sub as Schema);
      }
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      if (Array.isArray(s[keyword])) for (const branch of s[keyword]) walk(branch, depth + 1);
    }
    for (const keyword of ['then', 'else']) walk(s[keyword], depth + 1);
  };
  walk(schema, 0);
  return found;
}

export type ValueKind = 'text' | 'number' | 'boolean' | 'date' | 'list' | 'object';

/** How a field's stored value compares in a filter. */
export function kindOf(field: Schema | undefined): ValueKind {
  const type = Array.isArray(field?.type) ? field!.type.find((t: string) => t !== 'null') : field?.type;
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'array') return 'list';
  if (type === 'object') return 'object';
  if (field?.format === 'date' || field?.format === 'date-time') return 'date';
  return 'text';
}
