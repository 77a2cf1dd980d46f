/**
 * Which fields an inbox row shows for a process's work, compile side: the admin's choice
 * `<liuzhuan:summary fields="customer,category,amount"/>` on the process (written by the flow
 * designer's 流程设置). Compiled into `CompiledProcess.summaryFields`, so the inbox reads it
 * from the stored model without the XML. A process without it gets a default at query time
 * (engine/inbox/summary.ts: the first required fields of the bound form).
 */
import type { CompileContext } from '../bpmn/context.ts';
import { liuzhuanExtensions } from '../bpmn/liuzhuan.ts';
import type { CompiledProcess } from '../bpmn/model.ts';
import type { ModdleElement } from '../bpmn/moddleAccess.ts';
import type { CompileListener } from '../extensions/compileListeners.ts';

/** A row has room for a few words; more would be a second table. */
export const MAX_SUMMARY_FIELDS = 5;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

function summaryFieldsOf(ctx: CompileContext, process: ModdleElement, out: CompiledProcess): string[] | undefined {
  const found = liuzhuanExtensions(process)?.summary;
  if (found === undefined) return undefined;
  const label = `process '${out.id}': liuzhuan:summary`;
  if (Array.isArray(found)) {
    ctx.problem(out.id, `${label} appears ${found.length} times; keep one`);
    return undefined;
  }
  const text = (found as { fields?: unknown }).fields;
  const names = typeof text === 'string' ? text.split(',').map((name) => name.trim()).filter(Boolean) : [];
  if (names.length === 0) {
    ctx.problem(out.id, `${label} names no field (fields="customer,category")`);
    return undefined;
  }
  const bad = names.filter((name) => !FIELD_NAME.test(name));
  if (bad.length) ctx.problem(out.id, `${label} field "${bad[0]}" is not a field name`);
  if (new Set(names).size !== names.length) ctx.problem(out.id, `${label} names a field twice`);
  if (names.length > MAX_SUMMARY_FIELDS) ctx.problem(out.id, `${label} names ${names.length} fields; at most ${MAX_SUMMARY_FIELDS} fit in a row`);
  return names;
}

export const summaryCompileListener: CompileListener = {
  name: 'inbox.summary',
  processCompiled(ctx, process, out) {
    const fields = summaryFieldsOf(ctx, process, out);
    if (fields) out.summaryFields = fields;
  },
};
