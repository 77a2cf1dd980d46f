/**
 * Fields in the order the form designer shows them: the UI schema's `ui:order` first, then
 * any field it does not list in schema order (designer/src/forms/model/fromJsonSchema.ts).
 */
export function inFormOrder<T>(entries: [string, T][], uiSchema: unknown): [string, T][] {
  const order = uiSchema && typeof uiSchema === 'object' ? (uiSchema as Record<string, unknown>)['ui:order'] : undefined;
  const stated = Array.isArray(order) ? order.filter((name): name is string => typeof name === 'string') : [];
  const rank = (name: string) => (stated.includes(name) ? stated.indexOf(name) : stated.length);
  // Array.prototype.sort is stable: unlisted fields keep their schema order.
  return [...entries].sort(([a], [b]) => rank(a) - rank(b));
}
