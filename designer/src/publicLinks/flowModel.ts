/**
 * `liuzhuan:publicLink` on a send or service task, as the flow designer reads and writes it
 * (the engine's reading: engine/publicLinks/settings.ts). Other extension elements of the
 * task are kept as they are.
 */
import type { ModdleFactory, ModdleLike } from '../flows/model/liuzhuanExtensions.ts';

export interface PublicLinkModel {
  form: string;
  message: string;
  /** ISO duration (`P14D`) or empty: never expires. */
  expiresIn: string;
  /** Empty: the engine's default `publicLink`. */
  variable: string;
  /** A username, `${owner}` (a variable) or empty. */
  notify: string;
  /** Field → FEEL expression fixed on the link (the survey's customer); `hidden`: kept off the customer's page. */
  prefill: Array<{ field: string; value: string; hidden?: boolean }>;
}

const TYPE = 'liuzhuan:PublicLink';

function values(bo: ModdleLike | undefined): ModdleLike[] {
  return ((bo?.extensionElements as { values?: ModdleLike[] } | undefined)?.values ?? []) as ModdleLike[];
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function readPublicLink(bo: ModdleLike | undefined): PublicLinkModel | null {
  const found = values(bo).find((value) => value.$type === TYPE);
  if (!found) return null;
  return {
    form: text(found.form),
    message: text(found.message),
    expiresIn: text(found.expiresIn),
    variable: text(found.variable),
    notify: text(found.notify),
    prefill: ((found.entries as ModdleLike[] | undefined) ?? []).map((entry) => ({
      field: text(entry.key),
      value: text(entry.value),
      ...(entry.hidden === true ? { hidden: true } : {}),
    })),
  };
}

/** The task's new extension elements: `link` (or none) plus every other value; undefined when nothing is left. */
export function writePublicLink(moddle: ModdleFactory, bo: ModdleLike, link: PublicLinkModel | null): ModdleLike | undefined {
  const kept = values(bo).filter((value) => value.$type !== TYPE);
  const created: ModdleLike[] = [];
  if (link) {
    const attrs: Record<string, unknown> = { form: link.form.trim(), message: link.message.trim() };
    for (const name of ['expiresIn', 'variable', 'notify'] as const) if (link[name].trim()) attrs[name] = link[name].trim();
    // Rows still being typed are kept (the engine skips an entry without key or value).
    const entries = link.prefill.map((entry) =>
      moddle.create('liuzhuan:Entry', { key: entry.field.trim(), value: entry.value.trim(), ...(entry.hidden ? { hidden: true } : {}) }),
    );
    if (entries.length > 0) attrs.entries = entries;
    const element = moddle.create(TYPE, attrs);
    for (const entry of entries) entry.$parent = element;
    created.push(element);
  }
  const all = [...kept, ...created];
  if (all.length === 0) return undefined;
  const ext = moddle.create('bpmn:ExtensionElements', { values: all });
  for (const value of all) value.$parent = ext;
  return ext;
}

/** Names of the messages the process defines (what a link's answer can arrive as). */
export function messageNames(definitions: ModdleLike | undefined): string[] {
  const roots = ((definitions?.rootElements as ModdleLike[] | undefined) ?? []).filter((root) => root.$type === 'bpmn:Message');
  return [...new Set(roots.map((root) => text(root.name)).filter(Boolean))];
}
