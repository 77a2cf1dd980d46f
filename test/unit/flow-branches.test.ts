/**
 * The no-code flow designer's pure parts: where a split's branches meet (joinOf), the layout
 * bpmn-auto-layout gives a branching flow (every node placed, none overlapping, every flow
 * routed) read through a moddle that knows the liuzhuan extension, fields in form order, and
 * deploy problems in the admin's words by their code.
 */
/// <reference path="../../designer/src/flows/bpmnAutoLayout.d.ts" />
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';
import { describe, expect, it } from 'vitest';
import { joinOf, type GraphNode } from '../../designer/src/flows/designer/branches/flowGraph.ts';
import { computeLayout, overlaps } from '../../designer/src/flows/designer/branches/layoutResult.ts';
import { inFormOrder } from '../../designer/src/flows/designer/fieldOrder.ts';
import { friendlyMessage, WORDED_CODES } from '../../designer/src/flows/designer/deployMessages.ts';

const require = createRequire(import.meta.url);
const liuzhuan = require('../../engine/bpmn/liuzhuan.json');

const graph = (edges: Record<string, string[]>) => new Map<string, GraphNode>(Object.entries(edges).map(([id, next]) => [id, { id, next }]));

describe('joinOf', () => {
  it('finds where a condition split meets again, also with a branch that goes straight to the join', () => {
    const g = graph({ start: ['split'], split: ['a', 'join'], a: ['join'], join: ['fill'], fill: ['end'], end: [] });
    expect(joinOf(g, 'split')).toBe('join');
  });

  it('finds the nearest meeting point of nested splits, not a later one', () => {
    const g = graph({ outer: ['inner', 'c'], inner: ['a', 'b'], a: ['innerJoin'], b: ['innerJoin'], innerJoin: ['outerJoin'], c: ['outerJoin'], outerJoin: ['end'], end: [] });
    expect(joinOf(g, 'inner')).toBe('innerJoin');
    expect(joinOf(g, 'outer')).toBe('outerJoin');
  });

  it('gives nothing when the branches never meet or there is no split', () => {
    expect(joinOf(graph({ split: ['a', 'b'], a: ['endA'], b: ['endB'], endA: [], endB: [] }), 'split')).toBeUndefined();
    expect(joinOf(graph({ task: [] }), 'task')).toBeUndefined();
  });
});

const BRANCHING = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start" name="提交"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="handle" name="处理">
      <bpmn:extensionElements><liuzhuan:approval mode="single"><liuzhuan:assignee type="submitterHead" value="1" /></liuzhuan:approval></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="split" default="otherwise"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>high</bpmn:outgoing><bpmn:outgoing>otherwise</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="countersign" name="会签"><bpmn:incoming>high</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="join"><bpmn:incoming>otherwise</bpmn:incoming><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="confirm" name="确认"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle" />
    <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="split" />
    <bpmn:sequenceFlow id="high" name="高" sourceRef="split" targetRef="countersign"><bpmn:conditionExpression>severity = "high"</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="otherwise" sourceRef="split" targetRef="join" />
    <bpmn:sequenceFlow id="f3" sourceRef="countersign" targetRef="join" />
    <bpmn:sequenceFlow id="f4" sourceRef="join" targetRef="confirm" />
    <bpmn:sequenceFlow id="f5" sourceRef="confirm" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="plane" bpmnElement="p">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="0" y="0" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="handle_di" bpmnElement="handle"><dc:Bounds x="0" y="0" width="100" height="80" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe('computeLayout (bpmn-auto-layout)', () => {
  it('places every node of a branching flow without overlaps and routes every flow, read through the liuzhuan-aware moddle', async () => {
    const moddle = new BpmnModdle({ liuzhuan });
    const layout = await computeLayout(BRANCHING, { layoutProcess, moddle });
    const nodes = ['start', 'handle', 'split', 'countersign', 'join', 'confirm', 'end'];
    expect([...layout.shapes.keys()].sort()).toEqual([...nodes].sort());
    expect([...layout.edges.keys()].sort()).toEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'high', 'otherwise']);
    for (const [i, a] of nodes.entries()) {
      for (const b of nodes.slice(i + 1)) expect(overlaps(layout.shapes.get(a)!, layout.shapes.get(b)!), `${a} / ${b}`).toBe(false);
    }
    // Left to right in flow order on the main path; the countersign branch beside the default one.
    const x = (id: string) => layout.shapes.get(id)!.x;
    expect(x('start')).toBeLessThan(x('handle'));
    expect(x('split')).toBeLessThan(x('countersign'));
    expect(x('countersign')).toBeLessThan(x('join'));
    expect(x('join')).toBeLessThan(x('confirm'));
    for (const waypoints of layout.edges.values()) expect(waypoints.length).toBeGreaterThanOrEqual(2);
  });

  it('bpmn-auto-layout keeps the semantics it is given (extension elements, conditions, default flow, names)', async () => {
    // The designer applies only the geometry, but the library must not choke on or drop the liuzhuan extension.
    const laidOut = await layoutProcess(BRANCHING);
    const { rootElement } = await new BpmnModdle({ liuzhuan }).fromXML(laidOut);
    const process = (rootElement as unknown as { rootElements: { flowElements: Record<string, unknown>[] }[] }).rootElements[0];
    const byId = Object.fromEntries(process.flowElements.map((element) => [element.id as string, element]));
    expect((byId.high as { conditionExpression: { body: string } }).conditionExpression.body).toBe('severity = "high"');
    expect((byId.split as { default: { id: string } }).default.id).toBe('otherwise');
    expect(byId.countersign.name).toBe('会签');
    const ext = (byId.handle as { extensionElements: { values: { $type: string }[] } }).extensionElements.values;
    expect(ext.map((value) => value.$type)).toEqual(['liuzhuan:Approval']);
  });
});

describe('inFormOrder', () => {
  it('follows ui:order, then the unlisted fields in schema order', () => {
    const entries: [string, number][] = [['severity', 1], ['customer', 2], ['extra', 3], ['details', 4]];
    expect(inFormOrder(entries, { 'ui:order': ['customer', 'details', 'severity'] }).map(([name]) => name)).toEqual(['customer', 'details', 'severity', 'extra']);
    expect(inFormOrder(entries, undefined).map(([name]) => name)).toEqual(['severity', 'customer', 'extra', 'details']);
  });
});

describe('friendlyMessage', () => {
  it('words a coded problem with its values, in zh-CN and en', () => {
    const detail = { pointer: 'confirm', message: "userTask 'confirm': liuzhuan:assignee #2 of type 'user' needs a value", code: 'assignee_value_missing', params: { node: 'confirm', rule: 2, type: 'user' } };
    expect(friendlyMessage(detail, 'zh-CN')).toBe('第 2 条审批人规则还没有选择人员。请在右侧「审批人」中选好，或删除这条规则。');
    expect(friendlyMessage(detail, 'en')).toBe('Rule 2 under "Approvers" has no people chosen yet. Choose them there (on the right), or remove the rule.');
    // On a fill-in node the people are the ones who fill in (填写人).
    expect(friendlyMessage(detail, 'zh-CN', true)).toBe('第 2 条填写人规则还没有选择人员。请在右侧「填写人」中选好，或删除这条规则。');
    expect(friendlyMessage(detail, 'en', true)).toBe('Rule 2 under "Filled in by" has no people chosen yet. Choose them there (on the right), or remove the rule.');
  });

  it('words a branch that compares a choice with a value it cannot hold, listing what it can be', () => {
    const detail = { pointer: 'f1', message: 'engine text', code: 'condition_value_impossible', params: { fieldLabel: '严重程度', value: '"高"', allowed: '"high" (高), "low" (低)' } };
    expect(friendlyMessage(detail, 'zh-CN')).toBe('条件里「严重程度」与 "高" 比较，但这个字段不可能是这个值（可选值："high" (高), "low" (低)）。请选中这条连线，在右侧条件构建器中从选项里重新选择。');
    expect(friendlyMessage(detail, 'en')).toContain('can never hold (it can be: "high" (高), "low" (低))');
  });

  it('leaves a problem without a known code to the engine text', () => {
    expect(friendlyMessage({ pointer: 'x', message: 'something new' }, 'zh-CN')).toBeNull();
    expect(friendlyMessage({ pointer: 'x', message: 'something new', code: 'not_a_code' }, 'en')).toBeNull();
  });

  it('words every code the approval and BPMN compile checks give', () => {
    for (const code of ['assignee_value_missing', 'no_completing_action', 'fill_in_with_approval_actions', 'unknown_action', 'condition_invalid', 'element_unsupported', 'no_start_event', 'head_level_out_of_range', 'assignee_field_unknown', 'unknown_handler_node', 'condition_value_impossible', 'routed_department_without_form', 'routed_department_form_not_routed']) {
      expect(WORDED_CODES).toContain(code);
    }
  });
});
