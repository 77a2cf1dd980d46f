/**
 * The flow designer's inbox summary writer (designer/src/flows/designer/processSummary.ts)
 * against the engine: what it writes parses back, compiles into `summaryFields`
 * (engine/inbox/summaryModel.ts), keeps the process's other extensions (its form binding),
 * and clearing the choice removes the element, so the engine's default applies again.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { summaryFieldsOf, withSummaryFields } from '../../designer/src/flows/designer/processSummary.ts';
import type { ModdleLike } from '../../designer/src/flows/model/liuzhuanExtensions.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { designerModdle, type DesignerModdle } from '../helpers/designerModdle.ts';

const source = bpmn(`<process id="complaint_flow" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="complaint"/></liuzhuan:settings></extensionElements>
  <startEvent id="s"/><userTask id="u" camunda:assignee="bob"/>${flow('s', 'u')}
</process>`);

/** Parses `xml`, sets the process's extension elements to `write(process)` and compiles the result. */
async function rewrite(xml: string, write: (moddle: DesignerModdle, process: ModdleLike) => ModdleLike | undefined) {
  const moddle = designerModdle();
  const { rootElement } = await moddle.fromXML(xml);
  const process = rootElement.rootElements.find((element) => element.$type === 'bpmn:Process')!;
  process.extensionElements = write(moddle, process);
  const { xml: written } = await moddle.toXML(rootElement, { format: true });
  const { processes } = await compileBpmn(written);
  return { written, process: processes[0]!, read: summaryFieldsOf(process) };
}

describe('processSummary', () => {
  it('writes liuzhuan:summary beside the form binding; the engine compiles it', async () => {
    const { written, process, read } = await rewrite(source, (moddle, p) => withSummaryFields(moddle, p, ['category', 'amount', 'customer']));
    expect(written).toMatch(/<liuzhuan:summary fields="category,amount,customer"\s*\/>/);
    expect(read).toEqual(['category', 'amount', 'customer']);
    expect(process.summaryFields).toEqual(['category', 'amount', 'customer']);
    expect(process.formKey).toBe('complaint');
  });

  it('replaces an earlier choice, and clearing it removes the element but keeps the binding', async () => {
    const chosen = await rewrite(source, (moddle, p) => withSummaryFields(moddle, p, ['customer']));
    const changed = await rewrite(chosen.written, (moddle, p) => withSummaryFields(moddle, p, ['amount', 'customer']));
    expect(changed.written.match(/liuzhuan:summary/g)).toHaveLength(1);
    expect(changed.process.summaryFields).toEqual(['amount', 'customer']);
    const cleared = await rewrite(changed.written, (moddle, p) => withSummaryFields(moddle, p, []));
    expect(cleared.written).not.toContain('liuzhuan:summary');
    expect(cleared.process.summaryFields).toBeUndefined();
    expect(cleared.process.formKey).toBe('complaint');
  });
});
