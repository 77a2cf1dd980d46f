/**
 * A merged flow deploys through the real engine (real PostgreSQL): the key-account complaint
 * process with an admin's change and a package's change merged, and the merge of a conflict
 * resolved to the package's delete, each deployed and read back as the engine compiled it.
 */
import { describe, expect, it } from 'vitest';
import { applyResolutions, mergeAppPackage } from '../../engine/packages/merge/index.ts';
import { copyPackage, editXml, keyAccountPackage } from '../helpers/keyAccountPackage.ts';
import { useEngine } from '../helpers/engine.ts';

const t = useEngine();
const base = keyAccountPackage();
const xmlOf = (pkg: ReturnType<typeof keyAccountPackage>) => pkg.workflows.find((workflow) => workflow.processId === 'complaint_handling')!.xml;

/** The processes are bound to the template's forms: saved first (a form may link another, so in passes). */
async function saveTemplateForms(): Promise<void> {
  let left = base.forms;
  for (let pass = 0; pass < 3 && left.length > 0; pass++) {
    const failed: typeof left = [];
    for (const form of left) {
      await t.engine
        .saveForm({ body: { key: form.key, title: form.title, schema: form.schema, uiSchema: form.uiSchema }, locale: 'en', createdBy: null })
        .catch(() => failed.push(form));
    }
    left = failed;
  }
  expect(left.map((form) => form.key)).toEqual([]);
}

describe('merged flows deploy', () => {
  it('an upgrade that merges an admin change with a package change deploys, and a conflict resolved to a delete deploys too', async () => {
    const installed = copyPackage(base);
    const incoming = copyPackage(base);
    editXml(installed, 'complaint_handling', 'name="处理并答复"', 'name="处理并答复（管理员）"');
    editXml(installed, 'complaint_handling', 'name="退回部门重新处理"', 'name="退回部门再处理"');
    editXml(incoming, 'complaint_handling', '<sequenceFlow id="ordinary" name="其他" sourceRef="severityCheck" targetRef="close" />',
      '<sequenceFlow id="ordinary" name="其他" sourceRef="severityCheck" targetRef="reviewClose" /><userTask id="reviewClose" name="结案复核" camunda:assignee="${starter}" /><sequenceFlow id="toClose" sourceRef="reviewClose" targetRef="close" />');
    // The package also drops the reopen step (its flows with it; a refused countersign goes back to resolve).
    for (const id of ['reopen', 'notSatisfied', 'backToDepartment']) {
      editXml(incoming, 'complaint_handling', new RegExp(`\\s*<(\\w+) id="${id}"[^>]*?(/>|>[\\s\\S]*?</\\1>)`), '');
      editXml(incoming, 'complaint_handling', new RegExp(`\\s*<bpmndi:(BPMNShape|BPMNEdge) id="[^"]*" bpmnElement="${id}">[\\s\\S]*?</bpmndi:\\1>`), '');
    }
    editXml(incoming, 'complaint_handling', 'default="notSatisfied"', 'default="satisfied"');
    editXml(incoming, 'complaint_handling', /(<sequenceFlow id="satisfied"[^>]*)>\s*<conditionExpression[^<]*<\/conditionExpression>\s*<\/sequenceFlow>/, '$1 />');
    editXml(incoming, 'complaint_handling', /(id="countersignRefused"[^>]*targetRef=")reopen"/, '$1resolve"');

    await saveTemplateForms();
    const merge = await mergeAppPackage(base, incoming, installed);
    // The admin renamed the step the package deleted: the one conflict.
    expect(merge.conflicts.map((conflict) => conflict.id)).toEqual(['workflow/complaint_handling/reopen']);

    // Until resolved, the admin's step stays: the merged model still deploys.
    const kept = await t.deploy(xmlOf(merge.merged)).catch((error) => {
      throw new Error(`${error.message}: ${JSON.stringify(error.details)}`);
    });
    const keptModel = (await t.engine.latestDefinition('complaint_handling'))!;
    expect(keptModel.id).toBe(kept.id);
    expect(keptModel.process.nodes.resolve!.name).toBe('处理并答复（管理员）');
    expect(keptModel.process.nodes.reopen!.name).toBe('退回部门再处理');
    expect(keptModel.process.flows.ordinary!.targetId).toBe('reviewClose');

    const final = await applyResolutions(merge, { 'workflow/complaint_handling/reopen': 'theirs' });
    const deployed = await t.deploy(xmlOf(final));
    expect(deployed.version).toBe(kept.version + 1);
    const model = (await t.engine.latestDefinition('complaint_handling'))!.process;
    expect(model.nodes.resolve!.name).toBe('处理并答复（管理员）');
    expect(model.nodes.reviewClose).toMatchObject({ type: 'userTask', incoming: ['ordinary'], outgoing: ['toClose'] });
    expect(model.nodes.reopen).toBeUndefined();
    expect(model.nodes.satisfiedCheck!.defaultFlowId).toBe('satisfied');
    // The diagram came along: the designer can draw the merged model.
    const xml = (await t.engine.definitionXml(deployed.id))!;
    expect(xml).toContain('bpmnElement="resolve"');
    expect(xml).not.toContain('bpmnElement="reopen"');
  });
});
