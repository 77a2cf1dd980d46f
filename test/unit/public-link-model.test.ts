/**
 * The flow designer's 客户外链 settings (designer/src/publicLinks/flowModel.ts) against the
 * engine: what the properties panel writes parses back as the same settings, compiles, and is
 * read by the engine (engine/publicLinks/settings.ts) as the same link; turning it off keeps
 * the task's other extension elements.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { installFeatures } from '../../engine/features.ts';
import { readFileSync } from 'node:fs';
import { hiddenPrefill, publicLinkOf } from '../../engine/publicLinks/settings.ts';
import { messageNames, readPublicLink, writePublicLink, type PublicLinkModel } from '../../designer/src/publicLinks/flowModel.ts';
import type { ModdleLike } from '../../designer/src/flows/model/liuzhuanExtensions.ts';
import { designerModdle } from '../helpers/designerModdle.ts';

installFeatures();

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0" targetNamespace="t">
  <message id="m" name="survey_answered"/>
  <process id="p" isExecutable="true">
    <startEvent id="s"/>
    <sendTask id="send"><extensionElements><liuzhuan:setVariables><liuzhuan:variable name="sent" value="true"/></liuzhuan:setVariables></extensionElements></sendTask>
    <receiveTask id="wait" messageRef="m"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="send"/><sequenceFlow id="f2" sourceRef="send" targetRef="wait"/><sequenceFlow id="f3" sourceRef="wait" targetRef="e"/>
  </process>
</definitions>`;

const LINK: PublicLinkModel = {
  form: 'satisfaction_survey',
  message: 'survey_answered',
  expiresIn: 'P14D',
  variable: 'surveyLink',
  notify: '${owner}',
  prefill: [
    { field: 'customer', value: 'customer' },
    // Bookkeeping fixed but kept off the customer's page.
    { field: 'channel', value: '"online"', hidden: true },
  ],
};

describe('the designer writes liuzhuan:publicLink', () => {
  it('round-trips through XML and the engine reads the same link', async () => {
    const moddle = designerModdle();
    const { rootElement, elementsById } = await moddle.fromXML(XML);
    expect(messageNames(rootElement)).toEqual(['survey_answered']);
    const task = elementsById.send!;
    expect(readPublicLink(task)).toBeNull();
    task.extensionElements = writePublicLink(moddle, task, LINK);
    const { xml } = await moddle.toXML(rootElement as ModdleLike);

    const again = await designerModdle().fromXML(xml);
    expect(readPublicLink(again.elementsById.send)).toEqual(LINK);
    const { processes } = await compileBpmn(xml);
    const node = processes[0]!.nodes.send!;
    // The engine's compiled settings are the very link the designer wrote.
    expect(publicLinkOf(node)).toEqual(LINK);
    // The task's own implementation is kept beside the link.
    expect(node.serviceTask).toMatchObject({ kind: 'setVariables' });
  });

  it("the template's revisit survey link reads back as written, its hidden fixed fields kept", async () => {
    const file = readFileSync(new URL('../../workflows/revisit.bpmn', import.meta.url), 'utf8');
    const moddle = designerModdle();
    const { rootElement, elementsById } = await moddle.fromXML(file);
    const task = elementsById.sendSurvey!;
    const link = readPublicLink(task)!;
    expect(link.prefill).toEqual([
      { field: 'customer', value: 'customer' },
      { field: 'channel', value: '"online"', hidden: true },
      { field: 'surveyed_on', value: 'string(today())', hidden: true },
    ]);
    task.extensionElements = writePublicLink(moddle, task, link);
    const { xml } = await moddle.toXML(rootElement as ModdleLike);
    expect(readPublicLink((await designerModdle().fromXML(xml)).elementsById.sendSurvey)).toEqual(link);
    const { processes } = await compileBpmn(xml);
    expect(hiddenPrefill(processes[0]!.nodes.sendSurvey)).toEqual(['channel', 'surveyed_on']);
  });

  it('turning it off removes only the link', async () => {
    const moddle = designerModdle();
    const { rootElement, elementsById } = await moddle.fromXML(XML);
    const task = elementsById.send!;
    task.extensionElements = writePublicLink(moddle, task, LINK);
    task.extensionElements = writePublicLink(moddle, task, null);
    const { xml } = await moddle.toXML(rootElement as ModdleLike);
    expect(xml).not.toContain('publicLink');
    expect(xml).toContain('liuzhuan:setVariables');
  });

  it('a link whose message nothing waits for is refused at compile, naming the task', async () => {
    const moddle = designerModdle();
    const { rootElement, elementsById } = await moddle.fromXML(XML);
    const task = elementsById.send!;
    task.extensionElements = writePublicLink(moddle, task, { ...LINK, message: 'nobody_waits' });
    const { xml } = await moddle.toXML(rootElement as ModdleLike);
    await expect(compileBpmn(xml)).rejects.toMatchObject({ details: [expect.objectContaining({ pointer: 'send', code: 'public_link_message_uncaught' })] });
  });
});
