/**
 * BPMN compiler: each Camunda / Zeebe / Liuzhuan mapping, and each refusal rule, on small
 * inline models. Refusals must name the element, its type, and where it is in the text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import type { CompiledProcess } from '../../engine/bpmn/model.ts';
import { ValidationError, type ErrorDetail } from '../../engine/errors.ts';

const NS = [
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0"',
  'xmlns:tns="Examples"',
  'targetNamespace="Examples"',
].join(' ');

/** A definitions document: `roots` go before the process (messages, signals, errors). */
function bpmn(processBody: string, roots = '', processAttrs = 'isExecutable="true"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<definitions id="defs" ${NS}>\n${roots}\n<process id="p" ${processAttrs}>\n${processBody}\n</process>\n</definitions>`;
}

/** start → `middle` (whose first node is `first`, last is `last`) → end */
function around(middle: string, first = 'x', last = first): string {
  return `<startEvent id="start"/>
<sequenceFlow id="f_in" sourceRef="start" targetRef="${first}"/>
${middle}
<sequenceFlow id="f_out" sourceRef="${last}" targetRef="end"/>
<endEvent id="end"/>`;
}

async function compileOne(xml: string): Promise<CompiledProcess> {
  const result = await compileBpmn(xml);
  expect(result.processes).toHaveLength(1);
  return result.processes[0];
}

async function refusal(xml: string): Promise<ErrorDetail[]> {
  const error = await compileBpmn(xml).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ValidationError);
  const details = (error as ValidationError).details ?? [];
  expect(details.length).toBeGreaterThan(0);
  return details;
}

/** The detail about `pointer`, which must also carry a position. */
function detailFor(details: ErrorDetail[], pointer: string): ErrorDetail {
  const detail = details.find((d) => d.pointer === pointer);
  expect(detail, `no detail for ${pointer} in ${JSON.stringify(details)}`).toBeDefined();
  expect(detail!.line).toBeGreaterThan(0);
  expect(detail!.column).toBeGreaterThan(0);
  return detail!;
}

describe('compileBpmn: user tasks', () => {
  it('maps the Camunda 7 assignment attributes', async () => {
    const p = await compileOne(bpmn(around(
      `<userTask id="x" name="Approve" camunda:assignee="kermit" camunda:candidateUsers="\${approvers}"
        camunda:candidateGroups="management,sales" camunda:formKey="embedded:app:approve.html"
        camunda:dueDate="P3D" camunda:priority="70"/>`,
    )));
    expect(p.nodes.x).toMatchObject({ type: 'userTask', name: 'Approve', scopeId: 'p', incoming: ['f_in'], outgoing: ['f_out'] });
    expect(p.nodes.x.userTask).toEqual({
      assignee: { language: 'literal', source: 'kermit' },
      candidateUsers: { language: 'juel', source: '${approvers}' },
      candidateGroups: { language: 'literal', source: 'management,sales' },
      formKey: 'embedded:app:approve.html',
      dueDate: { language: 'literal', source: 'P3D' },
      priority: { language: 'literal', source: '70' },
    });
  });

  it('reads humanPerformer and potentialOwner formal expressions', async () => {
    const p = await compileOne(bpmn(around(`<userTask id="x">
      <humanPerformer><resourceAssignmentExpression><formalExpression>kermit</formalExpression></resourceAssignmentExpression></humanPerformer>
      <potentialOwner><resourceAssignmentExpression><formalExpression>user(gonzo), group(management), sales</formalExpression></resourceAssignmentExpression></potentialOwner>
    </userTask>`)));
    expect(p.nodes.x.userTask).toMatchObject({
      assignee: { language: 'literal', source: 'kermit' },
      candidateUsers: { source: 'gonzo' },
      candidateGroups: { source: 'management,sales' },
    });
  });

  it('maps Zeebe assignment and form definitions', async () => {
    const p = await compileOne(bpmn(around(`<userTask id="x"><extensionElements>
      <zeebe:assignmentDefinition assignee="= owner" candidateGroups="clerks"/>
      <zeebe:formDefinition formKey="form:x"/>
    </extensionElements></userTask>`)));
    expect(p.nodes.x.userTask).toEqual({
      assignee: { language: 'feel', source: 'owner' },
      candidateGroups: { language: 'literal', source: 'clerks' },
      formKey: 'form:x',
    });
  });

  it('lets an activity without outgoing flow end its path (implicit end)', async () => {
    const p = await compileOne(bpmn('<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="t"/><userTask id="t"/>'));
    expect(p.nodes.t.outgoing).toEqual([]);
  });
});

describe('compileBpmn: multi-instance', () => {
  it('maps camunda:collection, elementVariable, sequential and completion condition', async () => {
    const p = await compileOne(bpmn(around(`<userTask id="x" camunda:assignee="\${assignee}">
      <multiInstanceLoopCharacteristics isSequential="true" camunda:collection="assigneeList" camunda:elementVariable="assignee">
        <completionCondition>\${nrOfCompletedInstances/nrOfInstances >= 0.5}</completionCondition>
      </multiInstanceLoopCharacteristics></userTask>`)));
    expect(p.nodes.x.multiInstance).toEqual({
      sequential: true,
      collection: { language: 'literal', source: 'assigneeList' },
      elementVariable: 'assignee',
      completionCondition: { language: 'juel', source: '${nrOfCompletedInstances/nrOfInstances >= 0.5}' },
    });
  });

  it('reads loopDataInputRef as the collection variable and inputDataItem as the element variable', async () => {
    const p = await compileOne(bpmn(around(`<userTask id="x">
      <multiInstanceLoopCharacteristics isSequential="false">
        <loopDataInputRef>assigneeList</loopDataInputRef>
        <inputDataItem name="assignee"/>
      </multiInstanceLoopCharacteristics></userTask>`)));
    expect(p.nodes.x.multiInstance).toEqual({
      sequential: false,
      collection: { language: 'literal', source: 'assigneeList' },
      elementVariable: 'assignee',
    });
  });

  it('maps loopCardinality (FEEL by default, JUEL with ${})', async () => {
    const p = await compileOne(bpmn(around(`<userTask id="x"><multiInstanceLoopCharacteristics>
      <loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics></userTask>
      <sequenceFlow id="f2" sourceRef="x" targetRef="y"/>
      <userTask id="y"><multiInstanceLoopCharacteristics><loopCardinality>\${5-2}</loopCardinality></multiInstanceLoopCharacteristics></userTask>`, 'x', 'y')));
    expect(p.nodes.x.multiInstance?.loopCardinality).toEqual({ language: 'feel', source: '3' });
    expect(p.nodes.y.multiInstance?.loopCardinality).toEqual({ language: 'juel', source: '${5-2}' });
  });
});

describe('compileBpmn: call activities and variable mappings', () => {
  it('maps calledElement and camunda:in/out (source, sourceExpression, variables="all"), even with `source =`', async () => {
    const p = await compileOne(bpmn(around(`<callActivity id="x" calledElement="child"><extensionElements>
      <camunda:in source="a" target="b"/>
      <camunda:in sourceExpression="\${x+5}" target="y"/>
      <camunda:in variables="all"/>
      <camunda:out source ="myLocal"
         target = "hisLocal"/>
    </extensionElements></callActivity>`)));
    expect(p.nodes.x.callActivity).toEqual({
      calledElement: 'child',
      inAll: true,
      outAll: false,
      inputs: [
        { target: 'b', source: 'a' },
        { target: 'y', expression: { language: 'juel', source: '${x+5}' } },
      ],
      outputs: [{ target: 'hisLocal', source: 'myLocal' }],
    });
  });

  it('maps camunda:inputOutput to node inputs and outputs', async () => {
    const p = await compileOne(bpmn(around(`<userTask id="x"><extensionElements><camunda:inputOutput>
      <camunda:inputParameter name="local">\${amount * 2}</camunda:inputParameter>
      <camunda:outputParameter name="approved">\${decision == 'yes'}</camunda:outputParameter>
      <camunda:outputParameter name="note">fixed text</camunda:outputParameter>
    </camunda:inputOutput></extensionElements></userTask>`)));
    expect(p.nodes.x.inputs).toEqual([{ target: 'local', expression: { language: 'juel', source: '${amount * 2}' } }]);
    expect(p.nodes.x.outputs).toEqual([
      { target: 'approved', expression: { language: 'juel', source: "${decision == 'yes'}" } },
      { target: 'note', expression: { language: 'literal', source: 'fixed text' } },
    ]);
  });
});

describe('compileBpmn: service tasks', () => {
  it('maps camunda:expression with resultVariable', async () => {
    const p = await compileOne(bpmn(around('<serviceTask id="x" camunda:expression="${a + b}" camunda:resultVariable="sum"/>')));
    expect(p.nodes.x.serviceTask).toEqual({ kind: 'expression', expression: { language: 'juel', source: '${a + b}' }, resultVariable: 'sum' });
  });

  it('maps liuzhuan:setVariables (FEEL values, source copies)', async () => {
    const p = await compileOne(bpmn(around(`<serviceTask id="x"><extensionElements><liuzhuan:setVariables>
      <liuzhuan:variable name="total" value="price * quantity"/>
      <liuzhuan:variable name="copy" source="total"/>
      <liuzhuan:variable name="legacy" value="\${a}"/>
    </liuzhuan:setVariables></extensionElements></serviceTask>`)));
    expect(p.nodes.x.serviceTask).toEqual({
      kind: 'setVariables',
      assignments: [
        { target: 'total', expression: { language: 'feel', source: 'price * quantity' } },
        { target: 'copy', source: 'total' },
        { target: 'legacy', expression: { language: 'juel', source: '${a}' } },
      ],
    });
    expect(p.nodes.x.extensions).toMatchObject({ setVariables: { variables: [{ name: 'total' }, { name: 'copy' }, { name: 'legacy' }] } });
  });

  it('also accepts the PascalCase tag <liuzhuan:SetVariables> on a plain task', async () => {
    const p = await compileOne(bpmn(around(`<task id="x"><extensionElements><liuzhuan:SetVariables>
      <liuzhuan:Variable name="n" value="1"/></liuzhuan:SetVariables></extensionElements></task>`)));
    expect(p.nodes.x.serviceTask).toEqual({ kind: 'setVariables', assignments: [{ target: 'n', expression: { language: 'feel', source: '1' } }] });
  });

  it('carries a liuzhuan:effect through with its attributes and entries as config', async () => {
    const p = await compileOne(bpmn(around(`<serviceTask id="x"><extensionElements>
      <liuzhuan:effect type="webhook" url="https://example.test/hook" method="POST">
        <liuzhuan:entry key="body" value="{{record.title}}"/>
      </liuzhuan:effect></extensionElements></serviceTask>`)));
    expect(p.nodes.x.serviceTask).toEqual({
      kind: 'effect',
      effectType: 'webhook',
      config: { url: 'https://example.test/hook', method: 'POST', body: '{{record.title}}' },
    });
  });

  it("is kind 'none' without implementation; a plain task has no settings", async () => {
    const p = await compileOne(bpmn(around('<serviceTask id="x"/><sequenceFlow id="f2" sourceRef="x" targetRef="y"/><task id="y"/>', 'x', 'y')));
    expect(p.nodes.x.serviceTask).toEqual({ kind: 'none' });
    expect(p.nodes.y.serviceTask).toBeUndefined();
  });

  it('keeps liuzhuan node settings as plain JSON in extensions', async () => {
    const p = await compileOne(bpmn(around(`<userTask id="x"><extensionElements>
      <liuzhuan:approval mode="all" assignees="u1,u2"/>
      <liuzhuan:fieldPermissions><liuzhuan:field name="amount" access="readonly"/></liuzhuan:fieldPermissions>
    </extensionElements></userTask>`)));
    expect(p.nodes.x.extensions).toEqual({
      approval: { mode: 'all', assignees: 'u1,u2' },
      fieldPermissions: { fields: [{ name: 'amount', access: 'readonly' }] },
    });
  });
});

describe('compileBpmn: gateways and conditions', () => {
  it('keeps outgoing flows in document order with conditions and the default flow', async () => {
    const p = await compileOne(bpmn(`<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="gw"/>
      <exclusiveGateway id="gw" default="fDefault"/>
      <sequenceFlow id="fJuel" sourceRef="gw" targetRef="a"><conditionExpression xsi:type="tFormalExpression">\${input == 1}</conditionExpression></sequenceFlow>
      <sequenceFlow id="fDefault" sourceRef="gw" targetRef="b"/>
      <sequenceFlow id="fFeel" sourceRef="gw" targetRef="c"><conditionExpression xsi:type="tFormalExpression"><![CDATA[ amount > 100 and tier = "A" ]]></conditionExpression></sequenceFlow>
      <userTask id="a"/><userTask id="b"/><userTask id="c"/>`));
    expect(p.nodes.gw.outgoing).toEqual(['fJuel', 'fDefault', 'fFeel']);
    expect(p.nodes.gw.defaultFlowId).toBe('fDefault');
    expect(p.flows.fJuel.condition).toEqual({ language: 'juel', source: '${input == 1}' });
    expect(p.flows.fFeel.condition).toEqual({ language: 'feel', source: 'amount > 100 and tier = "A"' });
    expect(p.flows.fDefault.condition).toBeUndefined();
  });

  it('gives sequence flows without id a stable generated id', async () => {
    const p = await compileOne(bpmn('<startEvent id="s"/><sequenceFlow sourceRef="s" targetRef="t"/><userTask id="t"/>'));
    expect(Object.keys(p.flows)).toEqual(['flow_s_t']);
    expect(p.nodes.s.outgoing).toEqual(['flow_s_t']);
  });
});

describe('compileBpmn: events', () => {
  const roots = `<message id="newInvoice" name="newInvoiceMessage"/><message id="noName"/>
    <signal id="alertSignal" name="alert"/><error id="myError" errorCode="123" name="Broken"/>`;

  it('resolves a tns: messageRef to the message name, and falls back to the id without a name', async () => {
    const p = await compileOne(bpmn(`<startEvent id="s"><messageEventDefinition messageRef="tns:newInvoice"/></startEvent>
      <sequenceFlow id="f" sourceRef="s" targetRef="c"/>
      <intermediateCatchEvent id="c"><messageEventDefinition messageRef="noName"/></intermediateCatchEvent>`, roots));
    expect(p.nodes.s.event).toEqual({ type: 'message', messageName: 'newInvoiceMessage' });
    expect(p.nodes.c.event).toEqual({ type: 'message', messageName: 'noName' });
    expect(p.scopes.p.eventStartEventIds).toEqual(['s']);
    expect(p.scopes.p.noneStartEventIds).toEqual([]);
  });

  it('takes a Zeebe subscription correlationKey onto the message event', async () => {
    const p = await compileOne(bpmn(around('<receiveTask id="x" messageRef="m"/>'),
      '<message id="m" name="paid"><extensionElements><zeebe:subscription correlationKey="=orderId"/></extensionElements></message>'));
    expect(p.nodes.x.event).toEqual({ type: 'message', messageName: 'paid', correlationKey: { language: 'feel', source: 'orderId' } });
  });

  it('maps signal, timer, error and terminate definitions', async () => {
    const p = await compileOne(bpmn(`<startEvent id="s"/>
      <sequenceFlow id="f1" sourceRef="s" targetRef="sig"/>
      <intermediateThrowEvent id="sig"><signalEventDefinition signalRef="alertSignal"/></intermediateThrowEvent>
      <sequenceFlow id="f2" sourceRef="sig" targetRef="wait"/>
      <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT5M</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <sequenceFlow id="f3" sourceRef="wait" targetRef="date"/>
      <intermediateCatchEvent id="date"><timerEventDefinition><timeDate>\${dueAt}</timeDate></timerEventDefinition></intermediateCatchEvent>
      <sequenceFlow id="f4" sourceRef="date" targetRef="gw"/>
      <parallelGateway id="gw"/>
      <sequenceFlow id="f5" sourceRef="gw" targetRef="err"/>
      <sequenceFlow id="f6" sourceRef="gw" targetRef="anyErr"/>
      <sequenceFlow id="f7" sourceRef="gw" targetRef="stop"/>
      <endEvent id="err"><errorEventDefinition errorRef="myError"/></endEvent>
      <endEvent id="anyErr"><errorEventDefinition/></endEvent>
      <endEvent id="stop"><terminateEventDefinition/></endEvent>`, roots));
    expect(p.nodes.sig.event).toEqual({ type: 'signal', signalName: 'alert' });
    expect(p.nodes.wait.event).toEqual({ type: 'timer', timer: { kind: 'duration', value: { language: 'literal', source: 'PT5M' } } });
    expect(p.nodes.date.event).toEqual({ type: 'timer', timer: { kind: 'date', value: { language: 'juel', source: '${dueAt}' } } });
    expect(p.nodes.err.event).toEqual({ type: 'error', errorCode: '123', errorName: 'Broken' });
    expect(p.nodes.anyErr.event).toEqual({ type: 'error' });
    expect(p.nodes.stop.event).toEqual({ type: 'terminate' });
  });

  it('links boundary events to their host, interrupting or not', async () => {
    const p = await compileOne(bpmn(`${around('<userTask id="x"/>')}
      <boundaryEvent id="late" attachedToRef="x" cancelActivity="false"><timerEventDefinition><timeCycle>R/PT1H</timeCycle></timerEventDefinition></boundaryEvent>
      <boundaryEvent id="failed" attachedToRef="x"><errorEventDefinition/></boundaryEvent>
      <sequenceFlow id="f9" sourceRef="late" targetRef="remind"/><userTask id="remind"/>`, roots));
    expect(p.nodes.x.boundaryEventIds).toEqual(['late', 'failed']);
    expect(p.nodes.late).toMatchObject({ attachedToId: 'x', interrupting: false, event: { type: 'timer', timer: { kind: 'cycle' } } });
    expect(p.nodes.failed).toMatchObject({ attachedToId: 'x', interrupting: true, event: { type: 'error' } });
  });

  it('fills scopes for embedded and event sub-processes', async () => {
    const p = await compileOne(bpmn(`${around(`<subProcess id="x">
        <startEvent id="innerStart"/><sequenceFlow id="i1" sourceRef="innerStart" targetRef="innerTask"/><userTask id="innerTask"/>
      </subProcess>`)}
      <subProcess id="esp" triggeredByEvent="true">
        <startEvent id="espStart" isInterrupting="false"><messageEventDefinition messageRef="newInvoice"/></startEvent>
        <sequenceFlow id="e1" sourceRef="espStart" targetRef="espTask"/><userTask id="espTask"/>
      </subProcess>`, roots));
    expect(p.scopes.p).toMatchObject({ parentId: null, noneStartEventIds: ['start'], eventSubProcessIds: ['esp'], triggeredByEvent: false });
    expect(p.scopes.p.childIds).toEqual(['start', 'x', 'end', 'esp']);
    expect(p.scopes.x).toMatchObject({ parentId: 'p', noneStartEventIds: ['innerStart'], childIds: ['innerStart', 'innerTask'] });
    expect(p.scopes.esp).toMatchObject({ parentId: 'p', triggeredByEvent: true, eventStartEventIds: ['espStart'] });
    expect(p.nodes.innerTask.scopeId).toBe('x');
    expect(p.nodes.espStart).toMatchObject({ scopeId: 'esp', interrupting: false, event: { type: 'message', messageName: 'newInvoiceMessage' } });
  });
});

describe('compileBpmn: processes of a file', () => {
  it('compiles every process not marked isExecutable="false" (absent counts as executable)', async () => {
    const xml = `<definitions id="d" ${NS}>
      <collaboration id="c"><participant id="pa" processRef="a"/><participant id="pb" processRef="b"/><participant id="pc" processRef="c2"/></collaboration>
      <process id="a" isExecutable="true"><startEvent id="a1"/></process>
      <process id="b"><startEvent id="b1"/></process>
      <process id="c2" isExecutable="false"><startEvent id="c1"/></process>
    </definitions>`;
    const result = await compileBpmn(xml);
    expect(result.processes.map((process) => process.id)).toEqual(['a', 'b']);
  });

  it('reads the old Activiti namespace as Camunda, as Camunda 7 does', async () => {
    const xml = bpmn(around('<userTask id="x" activiti:assignee="kermit"/>')).replace(
      '<definitions id="defs"',
      '<definitions id="defs" xmlns:activiti="http://activiti.org/bpmn"',
    );
    expect((await compileOne(xml)).nodes.x.userTask?.assignee).toEqual({ language: 'literal', source: 'kermit' });
  });

  it('records warnings that were recovered from', async () => {
    // (A Zeebe job type used to be such a warning; it is refused now: test/integration/camunda8.test.ts.)
    const result = await compileBpmn(bpmn(around(`<userTask id="x"><multiInstanceLoopCharacteristics><extensionElements>
      <zeebe:loopCharacteristics inputCollection="=items" outputCollection="results"/></extensionElements></multiInstanceLoopCharacteristics></userTask>`)));
    expect(result.warnings).toEqual([expect.objectContaining({ elementId: 'x', message: expect.stringContaining('outputCollection') })]);
  });
});

describe('compileBpmn: refusals', () => {
  it('refuses text that is not XML, with line and column', async () => {
    const details = await refusal('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<process id="p">\n<startEvent id="s">\n</process></definitions>');
    expect(details[0]).toMatchObject({ line: 4, message: expect.stringContaining('closing tag mismatch') });
    expect(details[0].column).toBeGreaterThan(0);
  });

  it('refuses XML that is not BPMN', async () => {
    const details = await refusal('<foo/>');
    expect(details[0].message).toMatch(/foo/);
  });

  it('refuses an unknown BPMN element instead of dropping it', async () => {
    const details = await refusal(bpmn(around('<fooTask id="x"/>')));
    expect(detailFor(details, 'x').message).toMatch(/fooTask/i);
  });

  it.each([
    ['scriptTask', '<scriptTask id="x" scriptFormat="groovy"><script>1</script></scriptTask>'],
    ['businessRuleTask', '<businessRuleTask id="x" camunda:decisionRef="d"/>'],
    ['complexGateway', '<complexGateway id="x"/>'],
    ['transaction', '<transaction id="x"><startEvent id="ts"/></transaction>'],
    ['adHocSubProcess', '<adHocSubProcess id="x"><task id="t"/></adHocSubProcess>'],
  ])('refuses %s naming the element', async (type, element) => {
    const detail = detailFor(await refusal(bpmn(around(element))), 'x');
    expect(detail.message).toContain(type);
    expect(detail.message).toContain("'x'");
  });

  it.each([
    ['compensateEventDefinition', '<intermediateThrowEvent id="x"><compensateEventDefinition/></intermediateThrowEvent>'],
    ['escalationEventDefinition', '<intermediateThrowEvent id="x"><escalationEventDefinition/></intermediateThrowEvent>'],
    ['conditionalEventDefinition', '<intermediateCatchEvent id="x"><conditionalEventDefinition><condition>${a}</condition></conditionalEventDefinition></intermediateCatchEvent>'],
    ['linkEventDefinition', '<intermediateCatchEvent id="x"><linkEventDefinition name="l"/></intermediateCatchEvent>'],
  ])('refuses a %s', async (definition, element) => {
    const detail = detailFor(await refusal(bpmn(around(element))), 'x');
    expect(detail.message).toContain(definition);
  });

  it('refuses a cancel boundary event', async () => {
    const details = await refusal(bpmn(`${around('<userTask id="t"/>', 't')}<boundaryEvent id="x" attachedToRef="t"><cancelEventDefinition/></boundaryEvent>`));
    expect(detailFor(details, 'x').message).toContain('cancelEventDefinition');
  });

  it.each([
    ['camunda:class', 'camunda:class="org.example.Delegate"'],
    ['camunda:delegateExpression', 'camunda:delegateExpression="${delegate}"'],
    ['camunda:type="external"', 'camunda:type="external" camunda:topic="mail"'],
  ])('refuses Java delegates (%s) and names the alternative', async (what, attrs) => {
    const detail = detailFor(await refusal(bpmn(around(`<serviceTask id="x" ${attrs}/>`))), 'x');
    expect(detail.message).toContain(what);
    expect(detail.message).toContain('Java delegates are not supported: use liuzhuan:setVariables or a liuzhuan:Effect');
  });

  it('refuses a message throw event sent through a Java delegate', async () => {
    const details = await refusal(bpmn(around('<intermediateThrowEvent id="x"><messageEventDefinition camunda:class="a.B"/></intermediateThrowEvent>')));
    expect(detailFor(details, 'x').message).toMatch(/intermediateThrowEvent 'x' sends its message through camunda:class/);
  });

  it('refuses camunda listeners', async () => {
    const details = await refusal(bpmn(around('<userTask id="x"><extensionElements><camunda:taskListener event="create" class="a.B"/></extensionElements></userTask>')));
    expect(detailFor(details, 'x').message).toContain('camunda:taskListener');
  });

  it('refuses a sequence flow whose target is missing', async () => {
    const details = await refusal(bpmn('<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="nowhere"/>'));
    expect(detailFor(details, 'f').message).toMatch(/targetRef 'nowhere'/);
  });

  it('refuses a gateway without outgoing flow', async () => {
    const details = await refusal(bpmn('<startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="gw"/><exclusiveGateway id="gw"/>'));
    expect(detailFor(details, 'gw').message).toContain('exclusiveGateway');
  });

  it('refuses a process without start event', async () => {
    const details = await refusal(bpmn('<userTask id="t"/>'));
    expect(detailFor(details, 'p').message).toContain('no start event');
  });

  it('refuses conditions and expressions that do not parse', async () => {
    const details = await refusal(bpmn(`<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="gw"/><exclusiveGateway id="gw"/>
      <sequenceFlow id="fBad" sourceRef="gw" targetRef="t"><conditionExpression>amount &gt;</conditionExpression></sequenceFlow>
      <sequenceFlow id="fBadJuel" sourceRef="gw" targetRef="t"><conditionExpression>\${a ==}</conditionExpression></sequenceFlow>
      <userTask id="t" camunda:assignee="\${(}"/>`));
    expect(detailFor(details, 'fBad').message).toMatch(/sequenceFlow 'fBad': condition 'amount >' does not parse/);
    expect(detailFor(details, 'fBadJuel').message).toContain('does not parse');
    expect(detailFor(details, 't').message).toContain('camunda:assignee');
  });

  it('refuses literal timers that do not parse, but only syntax-checks timer expressions', async () => {
    const details = await refusal(bpmn(`${around('<userTask id="t"/>', 't')}
      <boundaryEvent id="x" attachedToRef="t"><timerEventDefinition><timeDuration>5 minutes</timeDuration></timerEventDefinition></boundaryEvent>
      <boundaryEvent id="y" attachedToRef="t"><timerEventDefinition><timeDuration>\${reminder}</timeDuration></timerEventDefinition></boundaryEvent>`));
    expect(detailFor(details, 'x').message).toMatch(/timer duration '5 minutes' is not valid/);
    expect(details.some((d) => d.pointer === 'y')).toBe(false);
  });

  it("refuses a default flow that is not one of the gateway's outgoing flows", async () => {
    const details = await refusal(bpmn(`<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="gw"/>
      <exclusiveGateway id="gw" default="f0"/><sequenceFlow id="f1" sourceRef="gw" targetRef="t"/><userTask id="t"/>`));
    expect(detailFor(details, 'gw').message).toMatch(/default flow 'f0'/);
  });

  it('refuses an event-based gateway followed by anything but catch events or receive tasks', async () => {
    const details = await refusal(bpmn(`<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="gw"/><eventBasedGateway id="gw"/>
      <sequenceFlow id="f1" sourceRef="gw" targetRef="timer"/><sequenceFlow id="f2" sourceRef="gw" targetRef="t"/>
      <intermediateCatchEvent id="timer"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <userTask id="t"/>`));
    expect(detailFor(details, 't').message).toMatch(/eventBasedGateway 'gw' must be followed by/);
    expect(details.some((d) => d.pointer === 'timer')).toBe(false);
  });

  it('refuses a boundary event whose attachedToRef is missing or unknown', async () => {
    const details = await refusal(bpmn(`${around('<userTask id="t"/>', 't')}
      <boundaryEvent id="x"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
      <boundaryEvent id="y" attachedToRef="ghost"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>`));
    expect(detailFor(details, 'x').message).toMatch(/boundaryEvent 'x' is not attached/);
    expect(detailFor(details, 'y').message).toMatch(/boundaryEvent 'y'/);
  });

  it('refuses a messageRef that names no message', async () => {
    const details = await refusal(bpmn('<startEvent id="s"><messageEventDefinition messageRef="tns:ghost"/></startEvent>'));
    expect(detailFor(details, 's').message).toMatch(/messageRef 'tns:ghost'/);
  });

  it('refuses standard loops', async () => {
    const details = await refusal(bpmn(around('<userTask id="x"><standardLoopCharacteristics/></userTask>')));
    expect(detailFor(details, 'x').message).toContain('standardLoopCharacteristics');
  });

  it('refuses a file whose processes are all isExecutable="false"', async () => {
    const details = await refusal(bpmn('<startEvent id="s"/>', '', 'isExecutable="false"'));
    expect(detailFor(details, 'p').message).toMatch(/No executable process/);
  });

  it('reports every problem of the file at once, in one ValidationError', async () => {
    const error = await compileBpmn(bpmn(`${around('<scriptTask id="x"/>')}
      <complexGateway id="cx"/><serviceTask id="java" camunda:class="a.B"/>`)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('The BPMN model cannot be deployed');
    expect((error as ValidationError).details!.map((d) => d.pointer)).toEqual(expect.arrayContaining(['x', 'cx', 'java']));
  });
});

describe('compileBpmn: a Liuzhuan model (test/fixtures/bpmn)', () => {
  it('compiles liuzhuan-purchase-approval.bpmn', async () => {
    const xml = readFileSync(new URL('../fixtures/bpmn/liuzhuan-purchase-approval.bpmn', import.meta.url), 'utf8');
    const p = await compileOne(xml);
    expect(p.id).toBe('purchaseApproval');
    expect(p.nodes.submitted.initiatorVariable).toBe('submitter');
    expect(p.nodes.computeTotal.serviceTask).toMatchObject({ kind: 'setVariables' });
    expect(p.nodes.amountCheck).toMatchObject({ defaultFlowId: 'small', outgoing: ['large', 'small'] });
    expect(p.flows.large.condition).toEqual({ language: 'feel', source: 'total > 10000' });
    expect(p.nodes.managersApprove).toMatchObject({
      multiInstance: { sequential: false, collection: { language: 'literal', source: 'managers' }, elementVariable: 'manager' },
      extensions: { approval: { mode: 'all' }, fieldPermissions: { fields: [{ name: 'price', access: 'readonly' }, { name: 'comment', access: 'required' }] } },
      boundaryEventIds: ['managersLate'],
    });
    expect(p.nodes.remind.serviceTask).toEqual({
      kind: 'effect',
      effectType: 'chatRobot',
      config: { url: 'https://chat.example.test/hook', text: 'Purchase {{total}} waits for approval' },
    });
    expect(p.nodes.order).toMatchObject({ type: 'sendTask', serviceTask: { kind: 'effect', effectType: 'webhook' } });
    expect(p.nodes.answer.event).toEqual({ type: 'message', messageName: 'supplier-answer' });
    expect(p.nodes.remind.outgoing).toEqual([]);
  });
});
