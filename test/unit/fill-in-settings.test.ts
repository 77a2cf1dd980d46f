/**
 * The flow designer's settings model (designer/src/flows/model/liuzhuanExtensions.ts) for
 * fill-in nodes and the new approver types, against the engine: what the panel writes is
 * what the engine reads, an approval node with every action leaves the element out, an old
 * fill-in node (`return,transfer`) is still recognised, and a department field rule's value
 * round-trips.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { allowedActionsOf, nodeKindOf } from '../../engine/approval/nodeSettings.ts';
import { approvalSettingsOf } from '../../engine/approval/settings.ts';
import {
  ALL_ACTIONS,
  FILL_IN_ACTIONS,
  departmentFieldValue,
  isFillIn,
  parseDepartmentField,
  readNodeSettings,
  writeNodeSettings,
  type ModdleLike,
  type NodeSettings,
} from '../../designer/src/flows/model/liuzhuanExtensions.ts';
import { newFlowXml } from '../../designer/src/flows/model/newFlowXml.ts';
import { designerModdle } from '../helpers/designerModdle.ts';

async function written(settings: NodeSettings): Promise<string> {
  const m = designerModdle();
  const { rootElement, elementsById } = await m.fromXML(newFlowXml({ key: 'k', name: 'n', formKey: 'f' }));
  const task = elementsById.approve_1!;
  task.extensionElements = writeNodeSettings(m, task, settings);
  return (await m.toXML(rootElement)).xml;
}

const base: NodeSettings = {
  approval: {
    mode: 'single',
    fallback: 'admin',
    rules: [
      { type: 'submitter', value: '' },
      { type: 'submitterDepartment', value: 'head' },
      { type: 'departmentHead', value: 'finance' },
      { type: 'nodeHandler', value: 'start' },
      { type: 'departmentField', value: departmentFieldValue('dept', 'head') },
    ],
  },
  fieldPermissions: {},
  actions: null,
  timeout: null,
};

describe('fill-in nodes in the designer model', () => {
  it('writes submit,return,transfer, which the engine reads as a fill-in node', async () => {
    const xml = await written({ ...base, actions: [...FILL_IN_ACTIONS] });
    expect(xml).toContain('<liuzhuan:actions allowed="submit,return,transfer" />');
    const { elementsById } = await designerModdle().fromXML(xml);
    expect(readNodeSettings(elementsById.approve_1).actions).toEqual(['submit', 'return', 'transfer']);
    // nodeHandler "start" is not a user task: the compile check says so; the kind is read all the same.
    await expect(compileBpmn(xml)).rejects.toMatchObject({ details: [expect.objectContaining({ code: 'handler_node_not_user_task' })] });
    const fixed = await written({ ...base, approval: { ...base.approval!, rules: base.approval!.rules.slice(0, 3) }, actions: [...FILL_IN_ACTIONS] });
    const node = (await compileBpmn(fixed)).processes[0]!.nodes.approve_1!;
    expect(nodeKindOf(node)).toBe('fillIn');
    expect(allowedActionsOf(node)).toEqual(['submit', 'return', 'transfer']);
  });

  it('an approval node with every action leaves the element out; approve alone is written', async () => {
    expect(await written({ ...base, actions: [...ALL_ACTIONS] })).not.toContain('liuzhuan:actions');
    expect(await written({ ...base, actions: ['approve'] })).toContain('<liuzhuan:actions allowed="approve" />');
  });

  it('recognises the old fill-in node (no completing action) and a new one, not an approval node', () => {
    expect(isFillIn(['return', 'transfer'])).toBe(true);
    expect(isFillIn(['submit'])).toBe(true);
    expect(isFillIn(['approve', 'return'])).toBe(false);
    expect(isFillIn(null)).toBe(false);
  });
});

describe('approver types in the designer model', () => {
  it('writes the new types so the engine reads them', async () => {
    const xml = await written({ ...base, approval: { ...base.approval!, rules: base.approval!.rules.filter((rule) => rule.type !== 'nodeHandler') } });
    const node = (await compileBpmn(xml)).processes[0]!.nodes.approve_1!;
    expect(approvalSettingsOf(node)?.rules).toEqual([
      { type: 'submitter' },
      { type: 'submitterDepartment', part: 'head' },
      { type: 'departmentHead', code: 'finance' },
      { type: 'departmentField', variable: 'dept', part: 'head' },
    ]);
  });

  it('a department field value round-trips: field, or field:head', () => {
    expect(departmentFieldValue('dept', 'members')).toBe('dept');
    expect(parseDepartmentField('dept')).toEqual({ field: 'dept', part: 'members' });
    expect(parseDepartmentField(departmentFieldValue('dept', 'head'))).toEqual({ field: 'dept', part: 'head' });
  });
});
