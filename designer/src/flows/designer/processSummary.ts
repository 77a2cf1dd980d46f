/**
 * The process's inbox summary fields, `<liuzhuan:summary fields="customer,category,amount"/>`
 * in the process's extension elements (compiled by engine/inbox/summaryModel.ts). Like
 * liuzhuanExtensions.ts, writing builds a NEW `bpmn:ExtensionElements` for one
 * `modeling.updateProperties` (one undo step) and carries every other extension over.
 */
import type { ModdleLike } from '../model/liuzhuanExtensions.ts';

const SUMMARY = 'liuzhuan:Summary';
/** As many as engine/inbox/summaryModel.ts accepts. */
export const MAX_SUMMARY_FIELDS = 5;

interface Factory {
  create(type: string, attrs?: Record<string, unknown>): ModdleLike;
}

function values(process: ModdleLike): ModdleLike[] {
  const ext = process.extensionElements as { values?: ModdleLike[] } | undefined;
  return ext?.values ?? [];
}

export function summaryFieldsOf(process: ModdleLike): string[] {
  const summary = values(process).find((value) => value.$type === SUMMARY);
  const fields = summary?.fields;
  return typeof fields === 'string' ? fields.split(',').map((name) => name.trim()).filter(Boolean) : [];
}

/** The process's extension elements with `fields` as its summary (none: the element is removed). */
export function withSummaryFields(moddle: Factory, process: ModdleLike, fields: string[]): ModdleLike | undefined {
  const kept = values(process).filter((value) => value.$type !== SUMMARY);
  const all = fields.length ? [...kept, moddle.create(SUMMARY, { fields: fields.slice(0, MAX_SUMMARY_FIELDS).join(',') })] : kept;
  if (all.length === 0) return undefined;
  const ext = moddle.create('bpmn:ExtensionElements', { values: all });
  for (const value of all) value.$parent = ext;
  return ext;
}
