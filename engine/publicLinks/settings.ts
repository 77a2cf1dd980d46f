/**
 * `<liuzhuan:publicLink form="satisfaction_survey" message="survey_answered" expiresIn="P14D"
 * variable="surveyLink" notify="${owner}"/>` on a send or service task, as compiled into
 * `FlowNode.extensions.publicLink` (bpmn/liuzhuan.ts keeps liuzhuan elements as plain JSON).
 * `expiresIn` and `notify` are literal text unless written as an expression (`${…}` JUEL or
 * `=…` FEEL), as Camunda reads `camunda:assignee`. Child entries
 * `<liuzhuan:entry key="customer" value="customer"/>` fix field values of the answer (FEEL,
 * evaluated when the link is made): the page shows them read-only and the server keeps them;
 * `hidden="true"` keeps one off the page too — bookkeeping the visitor need not see, such as
 * the survey's date and channel (publicView.ts).
 */
import type { FlowNode } from '../bpmn/model.ts';

export const DEFAULT_LINK_VARIABLE = 'publicLink';

export interface PrefillEntry {
  field: string;
  value: string;
  /** Present (true) only when the entry says hidden="true". */
  hidden?: true;
}

export interface PublicLinkSettings {
  form: string;
  message: string;
  expiresIn?: string;
  variable: string;
  notify?: string;
  /** Field → FEEL expression, evaluated when the link is made; `hidden`: not shown on the page. */
  prefill: PrefillEntry[];
}

/** The raw element(s) on the node: undefined when it has none; a list when repeated. */
export function rawPublicLink(node: FlowNode): unknown {
  return node.extensions?.publicLink;
}

/** The node's settings; undefined when it has none or they are not usable (the compile checks say why). */
export function publicLinkOf(node: FlowNode): PublicLinkSettings | undefined {
  const raw = rawPublicLink(node);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const value = raw as Record<string, unknown>;
  const text = (name: string) => (typeof value[name] === 'string' && value[name] !== '' ? (value[name] as string) : undefined);
  const form = text('form');
  const message = text('message');
  if (!form || !message) return undefined;
  return {
    form,
    message,
    variable: text('variable') ?? DEFAULT_LINK_VARIABLE,
    ...(text('expiresIn') ? { expiresIn: text('expiresIn') } : {}),
    ...(text('notify') ? { notify: text('notify') } : {}),
    prefill: entriesOf(value.entries),
  };
}

/** Every public link of the processes, with the node carrying it (deploy checks). */
export function publicLinkNodes(nodes: Iterable<FlowNode>): Array<{ node: FlowNode; settings: PublicLinkSettings }> {
  const found: Array<{ node: FlowNode; settings: PublicLinkSettings }> = [];
  for (const node of nodes) {
    const settings = publicLinkOf(node);
    if (settings) found.push({ node, settings });
  }
  return found;
}

function entriesOf(raw: unknown): PrefillEntry[] {
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.flatMap((entry) => {
    const { key, value, hidden } = (entry ?? {}) as { key?: unknown; value?: unknown; hidden?: unknown };
    if (typeof key !== 'string' || key === '' || typeof value !== 'string' || value === '') return [];
    return [{ field: key, value, ...(hidden === true || hidden === 'true' ? { hidden: true as const } : {}) }];
  });
}

/** The fields the link's node fixes without showing them. */
export function hiddenPrefill(node: FlowNode | undefined): string[] {
  const settings = node ? publicLinkOf(node) : undefined;
  return (settings?.prefill ?? []).filter((entry) => entry.hidden).map((entry) => entry.field);
}
