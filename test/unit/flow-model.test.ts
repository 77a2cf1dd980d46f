/**
 * The flow designer's pure model code (designer/src/flows/model) against the engine: the
 * new-flow template compiles and binds its form, the condition builder's FEEL is evaluated
 * right by engine/expressions, and the liuzhuan settings writer's XML parses back (and is
 * read by the engine) as the same settings.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import type { FlowNode } from '../../engine/bpmn/model.ts';
import { approvalSettingsOf } from '../../engine/approval/settings.ts';
import { allowedActionsOf, fieldPermissionsOf } from '../../engine/approval/nodeSettings.ts';
import { timeoutSettingsOf } from '../../engine/approval/timeoutSettings.ts';
import { checkExpression, evaluateCondition } from '../../engine/expressions/index.ts';
import { ValidationError } from '../../engine/errors.ts';
import {
  buildFeel,
  parseCondition,
  ruleProblem,
  type ConditionGroup,
  type FieldKind,
} from '../../designer/src/flows/model/conditionBuilder.ts';
import {
  isoDuration,
  parseIsoDuration,
  readNodeSettings,
  writeNodeSettings,
  type ModdleLike,
  type NodeSettings,
} from '../../designer/src/flows/model/liuzhuanExtensions.ts';
import { newFlowXml } from '../../designer/src/flows/model/newFlowXml.ts';
import { designerModdle } from '../helpers/designerModdle.ts';

const feel = (source: string) => ({ language: 'feel' as const, source });

describe('newFlowXml', () => {
  const xml = newFlowXml({ key: 'complaint_flow', name: '抱怨处理 <A&B>', formKey: 'complaint' });

  it('compiles with no problems and binds the form to the process and its user task', async () => {
    const { processes, warnings } = await compileBpmn(xml);
    expect(warnings).toEqual([]);
    expect(processes).toHaveLength(1);
    const [process] = processes;
    expect(process.id).toBe('complaint_flow');
    expect(process.name).toBe('抱怨处理 <A&B>');
    expect(process.formKey).toBe('complaint');
    expect(Object.keys(process.nodes).sort()).toEqual(['approve_1', 'end', 'start']);
    const approve = process.nodes.approve_1;
    expect(approve.userTask?.formKey).toBe('complaint');
    expect(approvalSettingsOf(approve)).toEqual({ mode: 'single', fallback: 'admin', rules: [{ type: 'submitterHead', level: 1 }] });
  });

  it('draws every element (BPMNDI present for each flow node and flow)', async () => {
    const { elementsById } = await designerModdle().fromXML(xml);
    const drawn = Object.values(elementsById)
      .filter((el) => el.$type === 'bpmndi:BPMNShape' || el.$type === 'bpmndi:BPMNEdge')
      .map((el) => (el.bpmnElement as ModdleLike & { id: string }).id)
      .sort();
    expect(drawn).toEqual(['approve_1', 'end', 'flow_end', 'flow_start', 'start']);
  });

  it('refuses a key that is not an XML name', () => {
    expect(() => newFlowXml({ key: '1 bad', name: 'x', formKey: 'complaint' })).toThrow(/not a valid flow key/);
  });
});

describe('conditionBuilder', () => {
  const kinds: Record<string, FieldKind> = { amount: 'number', tier: 'string', urgent: 'boolean', note: 'string' };
  const cases: { group: ConditionGroup; feel: string; yes: Record<string, unknown>; no: Record<string, unknown> }[] = [
    {
      group: { join: 'and', rules: [{ field: 'amount', operator: '>', value: '100000' }, { field: 'tier', operator: '=', value: 'A' }] },
      feel: 'amount > 100000 and tier = "A"',
      yes: { amount: 200000, tier: 'A' },
      no: { amount: 200000, tier: 'B' },
    },
    {
      group: { join: 'or', rules: [{ field: 'amount', operator: '<=', value: '-1.5' }, { field: 'urgent', operator: '=', value: 'true' }] },
      feel: 'amount <= -1.5 or urgent = true',
      yes: { amount: 10, urgent: true },
      no: { amount: 10, urgent: false },
    },
    {
      group: { join: 'and', rules: [{ field: 'tier', operator: 'in', value: 'A, B' }, { field: 'note', operator: 'contains', value: 'say "hi" \\ ok' }] },
      feel: 'list contains(["A", "B"], tier) and contains(note, "say \\"hi\\" \\\\ ok")',
      yes: { tier: 'B', note: 'they say "hi" \\ ok.' },
      no: { tier: 'C', note: 'say "hi" \\ ok' },
    },
    {
      group: { join: 'and', rules: [{ field: 'note', operator: 'empty', value: '' }, { field: 'tier', operator: '!=', value: 'A' }] },
      feel: 'note = null and tier != "A"',
      yes: { tier: 'B' },
      no: { tier: 'B', note: 'x' },
    },
    {
      group: { join: 'and', rules: [{ field: 'note', operator: 'notEmpty', value: '' }] },
      feel: 'note != null',
      yes: { note: '' },
      no: {},
    },
  ];

  it.each(cases)('$feel', ({ group, feel: expected, yes, no }) => {
    const text = buildFeel(group, kinds);
    expect(text).toBe(expected);
    expect(checkExpression(feel(text))).toBeNull();
    expect(evaluateCondition(feel(text), yes)).toBe(true);
    expect(evaluateCondition(feel(text), no)).toBe(false);
    expect(parseCondition(text)).toEqual(group.rules[0].operator === 'in' ? { ...group, rules: [{ ...group.rules[0], value: 'A, B' }, group.rules[1]] } : group);
  });

  it('leaves out rows it cannot write and names why', () => {
    expect(ruleProblem({ field: 'amount', operator: '>', value: 'lots' }, 'number')).toBe('number');
    expect(ruleProblem({ field: 'bad name', operator: '=', value: '1' })).toBe('field');
    expect(ruleProblem({ field: 'tier', operator: '=', value: '  ' })).toBe('value');
    expect(buildFeel({ join: 'and', rules: [{ field: 'amount', operator: '>', value: 'lots' }, { field: 'tier', operator: '=', value: 'A' }] }, kinds)).toBe(
      'tier = "A"',
    );
  });

  it('keeps texts the builder could not have written out of the builder', () => {
    expect(parseCondition('amount > 1 and tier = "A" or urgent = true')).toBeNull();
    expect(parseCondition('(amount > 1)')).toBeNull();
    expect(parseCondition('sum(items) > 3')).toBeNull();
    expect(parseCondition('')).toEqual({ join: 'and', rules: [] });
    expect(parseCondition('= amount >= 3')).toEqual({ join: 'and', rules: [{ field: 'amount', operator: '>=', value: '3' }] });
  });
});

describe('liuzhuan settings writer', () => {
  const settings: NodeSettings = {
    approval: {
      mode: 'all',
      fallback: 'skip',
      rules: [
        { type: 'user', value: 'zhaoliu,sunqi' },
        { type: 'role', value: 'admin' },
        { type: 'department', value: 'finance' },
        { type: 'submitterHead', value: '2' },
        { type: 'memberField', value: 'handler' },
        { type: 'feel', value: 'if amount > 100 then "zhouba" else "zhaoliu"' },
      ],
    },
    fieldPermissions: { customer: 'readonly', resolution: 'required', handler: 'hidden' },
    actions: ['approve', 'reject', 'transfer'],
    timeout: { remindAfter: 'PT4H', after: 'P1D', action: 'escalate', escalateTo: 'head' },
  };

  async function written(input: NodeSettings): Promise<string> {
    const m = designerModdle();
    const { rootElement, elementsById } = await m.fromXML(newFlowXml({ key: 'k', name: 'n', formKey: 'complaint' }));
    const task = elementsById.approve_1;
    task.extensionElements = writeNodeSettings(m, task, input);
    return (await m.toXML(rootElement, { format: true })).xml;
  }

  it('writes XML that parses back to the same settings', async () => {
    const xml = await written(settings);
    expect(xml).toContain('<liuzhuan:assignee type="user" value="zhaoliu,sunqi" />');
    const { elementsById } = await designerModdle().fromXML(xml);
    expect(readNodeSettings(elementsById.approve_1)).toEqual(settings);
  });

  it('writes what the engine reads: approval, field permissions, actions, timeout', async () => {
    const { processes } = await compileBpmn(await written(settings));
    const node = processes[0].nodes.approve_1 as FlowNode;
    expect(approvalSettingsOf(node)).toMatchObject({ mode: 'all', fallback: 'skip' });
    expect(approvalSettingsOf(node)?.rules.map((rule) => rule.type)).toEqual(['user', 'role', 'department', 'submitterHead', 'memberField', 'feel']);
    expect(fieldPermissionsOf(node)).toEqual(settings.fieldPermissions);
    expect(allowedActionsOf(node)).toEqual(['approve', 'reject', 'transfer']);
    expect(timeoutSettingsOf(node)).toEqual(settings.timeout);
  });

  it('drops elements that say nothing, and keeps extension values it does not manage', async () => {
    const m = designerModdle();
    const { rootElement, elementsById } = await m.fromXML(newFlowXml({ key: 'k', name: 'n', formKey: 'complaint' }));
    const task = elementsById.approve_1;
    const own = m.create('liuzhuan:Settings', { entries: [m.create('liuzhuan:Entry', { key: 'color', value: 'red' })] });
    task.extensionElements = m.create('bpmn:ExtensionElements', { values: [own] });
    const everything = { approval: null, fieldPermissions: { customer: 'editable' as const }, actions: ['approve', 'reject', 'return', 'transfer', 'addSigner'] as NodeSettings['actions'], timeout: {} };
    task.extensionElements = writeNodeSettings(m, task, everything);
    const xml = (await m.toXML(rootElement)).xml;
    expect(xml).toContain('<liuzhuan:entry key="color" value="red" />');
    expect(xml).not.toMatch(/liuzhuan:(approval|fieldPermissions|actions|timeout)/);
    expect(writeNodeSettings(m, { $type: 'bpmn:UserTask' }, everything)).toBeUndefined();
  });

  it('a bad setting written by the panel is a 422 naming the node', async () => {
    const xml = await written({ ...settings, actions: null, timeout: { after: 'P1D', action: 'return', returnTo: 'nowhere' } });
    const error = await compileBpmn(xml).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([expect.objectContaining({ pointer: 'approve_1', message: expect.stringMatching(/returnTo="nowhere"/) })]);
  });

  it('ISO durations round-trip for the units the panel offers', () => {
    expect(isoDuration(4, 'hours')).toBe('PT4H');
    expect(isoDuration(2, 'days')).toBe('P2D');
    expect(isoDuration(30, 'minutes')).toBe('PT30M');
    expect(parseIsoDuration('PT4H')).toEqual({ amount: 4, unit: 'hours' });
    expect(parseIsoDuration('P2D')).toEqual({ amount: 2, unit: 'days' });
    expect(parseIsoDuration('P1DT2H')).toBeNull();
    expect(parseIsoDuration('soon')).toBeNull();
  });
});
