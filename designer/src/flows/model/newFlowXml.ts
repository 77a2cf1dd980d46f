/**
 * The BPMN a new flow starts from: 提交 (none start event bound to the flow form with
 * `camunda:formKey`, the submitter kept as `initiator`) → one approval node (the submitter's
 * department head, 转交管理员 when there is none) → 结束, with BPMNDI so bpmn-js draws it.
 * More approval nodes are added in the designer ("添加审批节点").
 */

export interface NewFlowInput {
  /** Process id = definition key; must be an XML name (see FLOW_KEY_PATTERN). */
  key: string;
  name: string;
  formKey: string;
  locale?: 'zh-CN' | 'en';
}

export const FLOW_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const LABELS = {
  'zh-CN': { start: '提交', approve: '部门负责人审批', end: '结束' },
  en: { start: 'Submit', approve: 'Department head approves', end: 'Done' },
};

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function newFlowXml({ key, name, formKey, locale = 'zh-CN' }: NewFlowInput): string {
  if (!FLOW_KEY_PATTERN.test(key)) throw new Error(`"${key}" is not a valid flow key`);
  const label = LABELS[locale];
  const a = escapeXml;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0" id="Definitions_${a(key)}" targetNamespace="http://liuzhuan.dev/flows">
  <bpmn:process id="${a(key)}" name="${a(name)}" isExecutable="true">
    <bpmn:startEvent id="start" name="${a(label.start)}" camunda:formKey="${a(formKey)}" camunda:initiator="initiator">
      <bpmn:outgoing>flow_start</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="approve_1" />
    <bpmn:userTask id="approve_1" name="${a(label.approve)}">
      <bpmn:extensionElements>
        <liuzhuan:approval mode="single" fallback="admin">
          <liuzhuan:assignee type="submitterHead" value="1" />
        </liuzhuan:approval>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_start</bpmn:incoming>
      <bpmn:outgoing>flow_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_end" sourceRef="approve_1" targetRef="end" />
    <bpmn:endEvent id="end" name="${a(label.end)}">
      <bpmn:incoming>flow_end</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_${a(key)}">
    <bpmndi:BPMNPlane id="Plane_${a(key)}" bpmnElement="${a(key)}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="152" y="182" width="36" height="36" />
        <bpmndi:BPMNLabel><dc:Bounds x="156" y="225" width="28" height="14" /></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="approve_1_di" bpmnElement="approve_1">
        <dc:Bounds x="240" y="160" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end">
        <dc:Bounds x="392" y="182" width="36" height="36" />
        <bpmndi:BPMNLabel><dc:Bounds x="398" y="225" width="24" height="14" /></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_start_di" bpmnElement="flow_start">
        <di:waypoint x="188" y="200" />
        <di:waypoint x="240" y="200" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="flow_end_di" bpmnElement="flow_end">
        <di:waypoint x="340" y="200" />
        <di:waypoint x="392" y="200" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
