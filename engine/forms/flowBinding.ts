/**
 * Flow forms (流程表单), compile side: which form a process is bound to, and the user tasks
 * that show it. Runs inside `compileBpmn`, so the decision is stored in the compiled model
 * (`CompiledProcess.formKey`, `userTask.formKey`) and every node reads it without the XML.
 *
 * A process is bound by
 * - `<liuzhuan:settings><liuzhuan:entry key="form" value="complaint"/></liuzhuan:settings>` on
 *   the process, or
 * - `camunda:formKey="complaint"` on its none start event (what Camunda Modeler writes).
 * A start-event form key that is not a Liuzhuan form key (Camunda's `embedded:app:…`,
 * `app:start.jsf`, `camunda-forms:…`) names a form outside Liuzhuan and binds nothing, so
 * Camunda models keep deploying. Whether the bound form exists is checked at deploy time
 * (`assertBoundFormsExist` in flowForms.ts), where the database is at hand.
 */
import type { CompileContext } from '../bpmn/context.ts';
import { liuzhuanExtensions } from '../bpmn/liuzhuan.ts';
import type { CompiledProcess } from '../bpmn/model.ts';
import { text, type ModdleElement } from '../bpmn/moddleAccess.ts';
import { zeebeFormKey } from '../bpmn/zeebe.ts';
import { FORM_KEY_PATTERN } from './forms.ts';

const FORM_KEY = new RegExp(FORM_KEY_PATTERN);

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The `form` entry of the process's `liuzhuan:settings`, if any. */
function settingsFormKey(process: ModdleElement): string | undefined {
  let found: string | undefined;
  for (const settings of asList(liuzhuanExtensions(process)?.settings)) {
    for (const entry of asList((settings as { entries?: unknown })?.entries)) {
      const { key, value } = (entry ?? {}) as { key?: unknown; value?: unknown };
      if (key === 'form' && typeof value === 'string' && value.trim() !== '') found = value.trim();
    }
  }
  return found;
}

/**
 * Sets `out.formKey` and gives every user task without its own form key the process form
 * (Jiandaoyun: one form travels through every node; a node's own key still wins).
 */
export function bindProcessForm(ctx: CompileContext, process: ModdleElement, out: CompiledProcess): void {
  const fromSettings = settingsFormKey(process);
  const startId = out.scopes[out.id]?.noneStartEventIds[0];
  const startElement = startId ? ctx.parsed.elementsById[startId] : undefined;
  // Camunda 8 models name it with zeebe:formDefinition formId on the start event.
  const startKey = text(startElement, 'camunda:formKey') ?? zeebeFormKey(startElement);
  const fromStart = startKey && FORM_KEY.test(startKey) ? startKey : undefined;
  if (fromSettings !== undefined && !FORM_KEY.test(fromSettings)) {
    ctx.problem(out.id, `process '${out.id}': liuzhuan:settings form '${fromSettings}' is not a form key (${FORM_KEY_PATTERN})`);
    return;
  }
  if (fromSettings && fromStart && fromSettings !== fromStart) {
    ctx.problem(
      startId,
      `process '${out.id}' is bound to form '${fromSettings}' (liuzhuan:settings) but its start event names form '${fromStart}'`,
    );
    return;
  }
  const formKey = fromSettings ?? fromStart;
  if (!formKey) return;
  if (!startId) {
    // A submission starts the process at its none start event; without one it cannot start.
    ctx.problem(out.id, `process '${out.id}' is bound to form '${formKey}' but has no none start event to start from`);
    return;
  }
  out.formKey = formKey;
  // Where the binding was written: the element a deploy-time "no such form" problem names.
  out.formKeyElementId = fromSettings ? out.id : startId;
  for (const node of Object.values(out.nodes)) {
    if (node.type === 'userTask' && node.userTask && !node.userTask.formKey) node.userTask.formKey = formKey;
  }
}
