/**
 * Three-way merge of app packages (engine/packages/merge/) on the key-account template: the
 * template as shipped is the base, an admin's edits make the installed app, the publisher's
 * edits make the incoming package.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { applyResolutions, mergeAppPackage } from '../../engine/packages/merge/index.ts';
import type { AppPackage } from '../../engine/packages/format.ts';
import { copyPackage, editXml, form, keyAccountPackage } from '../helpers/keyAccountPackage.ts';

const base = keyAccountPackage();

/** Removes an element (and its diagram shape or edge) from a workflow by id, as a designer delete would. */
function removeElement(pkg: AppPackage, processId: string, id: string): void {
  editXml(pkg, processId, new RegExp(`\\s*<(\\w+) id="${id}"[^>]*?(/>|>[\\s\\S]*?</\\1>)`), '');
  editXml(pkg, processId, new RegExp(`\\s*<bpmndi:(BPMNShape|BPMNEdge) id="[^"]*" bpmnElement="${id}">[\\s\\S]*?</bpmndi:\\1>`), '');
}

function xmlOf(pkg: AppPackage, processId: string): string {
  return pkg.workflows.find((workflow) => workflow.processId === processId)!.xml;
}

async function compiled(xml: string) {
  const result = await compileBpmn(xml).catch((error) => {
    throw new Error(`${error.message}: ${JSON.stringify(error.details)}`);
  });
  return result.processes[0]!;
}

describe('package merge: non-overlapping changes', () => {
  it('keeps the admin\'s and the package\'s changes in forms, flows and routing rules', async () => {
    const installed = copyPackage(base);
    const incoming = copyPackage(base);
    incoming.app.version = '1.1.0';
    // Admin: a field of their own, a clearer title, a sub-form column; renames a task; a routing rule of their own.
    const complaintMine = form(installed, 'complaint');
    (complaintMine.schema.properties as any).vip_note = { type: 'string', title: 'VIP 备注' };
    (complaintMine.uiSchema['ui:order'] as string[]).push('vip_note');
    (complaintMine.schema.properties as any).contact.title = '联系人（管理员）';
    (form(installed, 'contract').schema.properties as any).products.items.properties.discount = { type: 'number', title: '折扣' };
    editXml(installed, 'complaint_handling', 'name="处理并答复"', 'name="处理并答复（管理员）"');
    installed.routing.complaint!.rules.push({ name: '大客户 → 销售部', condition: 'tier = "A"', department: 'sales' });
    // Package: another field, `contact` required, a sub-form column made required; a changed condition and a new step; a changed rule.
    const complaintTheirs = form(incoming, 'complaint');
    (complaintTheirs.schema.properties as any).channel = { type: 'string', title: '渠道' };
    (complaintTheirs.schema.required as string[]).push('contact');
    (form(incoming, 'contract').schema.properties as any).products.items.required.push('unit_price');
    editXml(incoming, 'complaint_handling', 'severity in ["high", "critical"]', 'severity in ["high", "critical", "urgent"]');
    editXml(incoming, 'complaint_handling', '<sequenceFlow id="ordinary" name="其他" sourceRef="severityCheck" targetRef="close" />',
      '<sequenceFlow id="ordinary" name="其他" sourceRef="severityCheck" targetRef="reviewClose" /><userTask id="reviewClose" name="结案复核" camunda:assignee="${starter}" /><sequenceFlow id="toClose" sourceRef="reviewClose" targetRef="close" />');
    incoming.routing.complaint!.rules[0]!.condition = 'category = "billing" or category = "invoice"';

    const result = await mergeAppPackage(base, incoming, installed);
    expect(result.conflicts).toEqual([]);
    const merged = result.merged;
    expect(merged.app.version).toBe('1.1.0');
    const complaint = form(merged, 'complaint');
    expect(Object.keys(complaint.schema.properties as object)).toEqual(expect.arrayContaining(['vip_note', 'channel']));
    expect((complaint.schema.properties as any).contact.title).toBe('联系人（管理员）');
    expect(complaint.schema.required).toEqual(expect.arrayContaining(['category', 'severity', 'description', 'contact']));
    expect(complaint.uiSchema['ui:order']).toContain('vip_note');
    const products = (form(merged, 'contract').schema.properties as any).products.items;
    expect(Object.keys(products.properties)).toEqual(['name', 'quantity', 'unit_price', 'discount']);
    expect(products.required).toEqual(['name', 'quantity', 'unit_price']);
    expect(merged.routing.complaint!.rules.map((rule) => rule.name)).toEqual(['账单问题 → 财务部', '质量与交付 → 客服部', '大客户 → 销售部']);
    expect(merged.routing.complaint!.rules[0]!.condition).toBe('category = "billing" or category = "invoice"');

    const process = await compiled(xmlOf(merged, 'complaint_handling'));
    expect(process.nodes.resolve!.name).toBe('处理并答复（管理员）');
    expect(process.flows.serious!.condition?.source).toContain('"urgent"');
    expect(process.flows.ordinary!.targetId).toBe('reviewClose');
    expect(process.nodes.reviewClose!.outgoing).toEqual(['toClose']);
    expect(process.nodes.close!.incoming).toEqual(expect.arrayContaining(['toClose']));

    const kinds = (part: string, key: string, path: string) => result.changes.filter((c) => c.part === part && c.key === key && c.path === path).map((c) => c.kind);
    expect(kinds('form', 'complaint', 'vip_note')).toEqual(['ours']);
    expect(kinds('form', 'complaint', 'channel')).toEqual(['theirs']);
    expect(kinds('form', 'contract', 'products.discount')).toEqual(['ours']);
    expect(kinds('form', 'contract', 'products.unit_price#required')).toEqual(['theirs']);
    expect(kinds('form', 'complaint', 'contact')).toEqual(['ours']);
    expect(kinds('form', 'complaint', 'contact#required')).toEqual(['theirs']);
    expect(kinds('workflow', 'complaint_handling', 'resolve')).toEqual(['ours']);
    expect(kinds('workflow', 'complaint_handling', 'serious')).toEqual(['theirs']);
    expect(kinds('workflow', 'complaint_handling', 'reviewClose')).toEqual(['theirs']);
    expect(kinds('routing', 'complaint', '大客户 → 销售部')).toEqual(['ours']);
    expect(kinds('routing', 'complaint', '账单问题 → 财务部')).toEqual(['theirs']);
  });

  it('the same change on both sides is no conflict', async () => {
    const installed = copyPackage(base);
    const incoming = copyPackage(base);
    for (const pkg of [installed, incoming]) {
      (form(pkg, 'complaint').schema.properties as any).contact.title = '联系方式';
      editXml(pkg, 'complaint_handling', 'name="客服经理会签"', 'name="客服主管会签"');
    }
    const result = await mergeAppPackage(base, incoming, installed);
    expect(result.conflicts).toEqual([]);
    expect(result.changes).toEqual(
      expect.arrayContaining([
        { part: 'form', key: 'complaint', path: 'contact', kind: 'both-same' },
        { part: 'workflow', key: 'complaint_handling', path: 'countersign', kind: 'both-same' },
      ]),
    );
  });
});

describe('package merge: conflicts', () => {
  it('reports the same field, element and rule changed differently, and applies the admin\'s choices', async () => {
    const installed = copyPackage(base);
    const incoming = copyPackage(base);
    (form(installed, 'complaint').schema.properties as any).contact.maxLength = 100;
    (form(incoming, 'complaint').schema.properties as any).contact.maxLength = 300;
    editXml(installed, 'complaint_handling', 'name="处理并答复"', 'name="处理并答复（管理员）"');
    editXml(incoming, 'complaint_handling', 'name="处理并答复"', 'name="处理答复"');
    installed.routing.complaint!.rules[1]!.department = 'sales';
    incoming.routing.complaint!.rules[1]!.department = 'finance';
    // And one clean change beside them, which must survive every choice.
    editXml(incoming, 'complaint_handling', 'name="客服经理会签"', 'name="客服主管会签"');

    const result = await mergeAppPackage(base, incoming, installed);
    expect(result.conflicts.map(({ id, part, key, path }) => ({ id, part, key, path }))).toEqual([
      { id: 'form/complaint/contact', part: 'form', key: 'complaint', path: 'contact' },
      { id: 'workflow/complaint_handling/resolve', part: 'workflow', key: 'complaint_handling', path: 'resolve' },
      { id: 'routing/complaint/质量与交付 → 客服部', part: 'routing', key: 'complaint', path: '质量与交付 → 客服部' },
    ]);
    const field = result.conflicts[0]!;
    expect([(field.base as any).maxLength, (field.ours as any).maxLength, (field.theirs as any).maxLength]).toEqual([200, 100, 300]);
    expect((result.conflicts[1]!.ours as any).name).toBe('处理并答复（管理员）');
    expect((result.conflicts[1]!.theirs as any).name).toBe('处理答复');
    // Until resolved the merged package keeps what is installed.
    expect((form(result.merged, 'complaint').schema.properties as any).contact.maxLength).toBe(100);

    await expect(applyResolutions(result, { 'form/complaint/contact': 'theirs' })).rejects.toThrow(/workflow\/complaint_handling\/resolve \(choose ours or theirs\)/);
    await expect(applyResolutions(result, { 'form/complaint/nothing': 'theirs' })).rejects.toThrow(/no such conflict/);

    const final = await applyResolutions(result, {
      'form/complaint/contact': 'theirs',
      'workflow/complaint_handling/resolve': 'ours',
      'routing/complaint/质量与交付 → 客服部': 'theirs',
    });
    expect((form(final, 'complaint').schema.properties as any).contact.maxLength).toBe(300);
    expect(final.routing.complaint!.rules[1]!.department).toBe('finance');
    const process = await compiled(xmlOf(final, 'complaint_handling'));
    expect(process.nodes.resolve!.name).toBe('处理并答复（管理员）');
    expect(process.nodes.countersign!.name).toBe('客服主管会签');
  });

  it('deletion on one side against a change on the other is a conflict (field, rule, flow element)', async () => {
    const installed = copyPackage(base);
    const incoming = copyPackage(base);
    (form(installed, 'complaint').schema.properties as any).contact.title = '联系人（管理员）';
    delete (form(incoming, 'complaint').schema.properties as any).contact;
    incoming.routing.complaint!.rules.splice(0, 1);
    installed.routing.complaint!.rules[0]!.condition = 'category = "invoice"';
    editXml(installed, 'complaint_handling', 'name="退回部门重新处理"', 'name="退回部门再处理"');
    removeElement(incoming, 'complaint_handling', 'reopen');
    removeElement(incoming, 'complaint_handling', 'notSatisfied');
    removeElement(incoming, 'complaint_handling', 'backToDepartment');
    editXml(incoming, 'complaint_handling', 'default="notSatisfied"', '');
    editXml(incoming, 'complaint_handling', /(id="countersignRefused"[^>]*targetRef=")reopen"/, '$1resolve"');

    const result = await mergeAppPackage(base, incoming, installed);
    const byId = new Map(result.conflicts.map((conflict) => [conflict.id, conflict]));
    expect([...byId.keys()].sort()).toEqual(['form/complaint/contact', 'routing/complaint/账单问题 → 财务部', 'workflow/complaint_handling/reopen']);
    expect(byId.get('form/complaint/contact')!.theirs).toBeNull();
    expect(byId.get('workflow/complaint_handling/reopen')!.theirs).toBeNull();
    expect((byId.get('workflow/complaint_handling/reopen')!.ours as any).name).toBe('退回部门再处理');
    // The package's delete taken: the node and its flows are gone, the model compiles.
    const final = await applyResolutions(result, Object.fromEntries([...byId.keys()].map((id) => [id, 'theirs'])));
    expect(Object.keys(form(final, 'complaint').schema.properties as object)).not.toContain('contact');
    expect(final.routing.complaint!.rules.map((rule) => rule.name)).toEqual(['质量与交付 → 客服部']);
    const process = await compiled(xmlOf(final, 'complaint_handling'));
    expect(process.nodes.reopen).toBeUndefined();
    expect(process.flows.notSatisfied).toBeUndefined();
  });

  it('a node deleted on one side that the other side connects a new flow to is a conflict', async () => {
    const installed = copyPackage(base);
    const incoming = copyPackage(base);
    editXml(installed, 'complaint_handling', '<sequenceFlow id="ordinary"', '<sequenceFlow id="adminToReopen" sourceRef="countersigned" targetRef="reopen"><conditionExpression xsi:type="tFormalExpression">false</conditionExpression></sequenceFlow>\n    <sequenceFlow id="ordinary"');
    removeElement(incoming, 'complaint_handling', 'reopen');
    removeElement(incoming, 'complaint_handling', 'notSatisfied');
    removeElement(incoming, 'complaint_handling', 'backToDepartment');
    editXml(incoming, 'complaint_handling', 'default="notSatisfied"', 'default="satisfied"');
    editXml(incoming, 'complaint_handling', /(id="countersignRefused"[^>]*targetRef=")reopen"/, '$1resolve"');
    editXml(incoming, 'complaint_handling', /<sequenceFlow id="satisfied"([^>]*)>\s*<conditionExpression[^<]*<\/conditionExpression>\s*<\/sequenceFlow>/, '<sequenceFlow id="satisfied"$1 />');

    const result = await mergeAppPackage(base, incoming, installed);
    expect(result.conflicts).toHaveLength(1);
    const conflict = result.conflicts[0]!;
    expect(conflict).toMatchObject({ id: 'workflow/complaint_handling/reopen', theirs: null, note: expect.stringContaining("'adminToReopen'") });
    // Kept (the admin's side): the node comes back with the admin's flow.
    const kept = await compiled(xmlOf(await applyResolutions(result, { [conflict.id]: 'ours' }), 'complaint_handling'));
    expect(kept.nodes.reopen!.incoming).toEqual(['adminToReopen']);
    // Deleted (the package's side): the flow that hung on it goes too.
    const dropped = await compiled(xmlOf(await applyResolutions(result, { [conflict.id]: 'theirs' }), 'complaint_handling'));
    expect(dropped.nodes.reopen).toBeUndefined();
    expect(dropped.flows.adminToReopen).toBeUndefined();
  });
});

describe('package merge: one side unchanged gives the other', () => {
  type Edit = { kind: 'remove' | 'retitle' | 'require' | 'add' | 'front'; index: number; text: string };
  const edit: fc.Arbitrary<Edit> = fc.record({
    kind: fc.constantFrom('remove', 'retitle', 'require', 'add', 'front'),
    index: fc.nat({ max: 40 }),
    text: fc.string({ minLength: 1, maxLength: 8 }),
  });
  const edits = fc.record({ form: fc.array(edit, { maxLength: 6 }), rules: fc.array(fc.tuple(fc.nat({ max: 5 }), fc.string({ maxLength: 8 })), { maxLength: 3 }), drop: fc.boolean() });

  function apply(spec: { form: Edit[]; rules: Array<[number, string]>; drop: boolean }): AppPackage {
    const pkg = copyPackage(base);
    const complaint = form(pkg, 'complaint');
    const properties = complaint.schema.properties as Record<string, any>;
    let added = 0;
    for (const step of spec.form) {
      const names = Object.keys(properties);
      const name = names[step.index % names.length]!;
      if (step.kind === 'remove' && names.length > 1) {
        delete properties[name];
        delete complaint.uiSchema[name];
        complaint.uiSchema['ui:order'] = (complaint.uiSchema['ui:order'] as string[]).filter((n) => n !== name);
        complaint.schema.required = (complaint.schema.required as string[]).filter((n) => n !== name);
      } else if (step.kind === 'retitle') properties[name] = { ...properties[name], title: step.text };
      else if (step.kind === 'require' && !(complaint.schema.required as string[]).includes(name)) (complaint.schema.required as string[]).push(name);
      else if (step.kind === 'add') {
        const fresh = `gen_${added++}`;
        properties[fresh] = { type: 'string', title: step.text };
        (complaint.uiSchema['ui:order'] as string[]).push(fresh);
      } else if (step.kind === 'front') complaint.uiSchema['ui:order'] = [name, ...(complaint.uiSchema['ui:order'] as string[]).filter((n) => n !== name)];
    }
    const rules = pkg.routing.complaint!.rules;
    for (const [index, condition] of spec.rules) rules[index % rules.length]!.condition = condition;
    if (spec.drop) pkg.automations.pop();
    return pkg;
  }

  /** Field order as shown (ui:order) and everything else, key order aside. */
  const shape = (pkg: AppPackage) => ({
    order: form(pkg, 'complaint').uiSchema['ui:order'],
    forms: JSON.parse(JSON.stringify(pkg.forms, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v))),
    routing: pkg.routing,
    automations: pkg.automations,
  });

  it('merge(base, x, base) is x and merge(base, base, y) is y, for generated edits', async () => {
    await fc.assert(
      fc.asyncProperty(edits, async (spec) => {
        const changed = apply(spec);
        const theirs = await mergeAppPackage(base, changed, base);
        expect(theirs.conflicts).toEqual([]);
        expect(shape(theirs.merged)).toEqual(shape(changed));
        const ours = await mergeAppPackage(base, base, changed);
        expect(ours.conflicts).toEqual([]);
        expect(shape(ours.merged)).toEqual(shape(changed));
      }),
      { numRuns: 40 },
    );
  });
});
