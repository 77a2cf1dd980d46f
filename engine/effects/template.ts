/**
 * Effect texts (webhook bodies, mail subjects, robot messages) are handlebars templates over
 * the instance variables — logic-less, so a model cannot run code on the server.
 */
import Handlebars from 'handlebars';

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** `escapeHtml` only for HTML mail bodies; everything else is plain text or JSON. */
export function render(template: string, variables: Record<string, unknown>, escapeHtml = false): string {
  const key = `${escapeHtml ? 'h' : 't'}:${template}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = Handlebars.compile(template, { noEscape: !escapeHtml, strict: false });
    if (cache.size > 500) cache.clear();
    cache.set(key, compiled);
  }
  return compiled(variables);
}
