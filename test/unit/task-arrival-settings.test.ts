/**
 * The arrival notice setting (engine/notifications/taskArrival.ts): a user task's
 * `<liuzhuan:entry key="notify" value="<message template>"/>` is read from the compiled node,
 * and deploy refuses it on anything but a user task or with a value that is no template key.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { ValidationError } from '../../engine/errors.ts';
import { arrivalTemplateOf } from '../../engine/notifications/taskArrival.ts';
import { bpmn, flow } from '../helpers/engine.ts';

const notify = (value: string) => `<extensionElements><liuzhuan:settings><liuzhuan:entry key="notify" value="${value}"/></liuzhuan:settings></extensionElements>`;

function model(task: string): string {
  return bpmn(`<process id="p" isExecutable="true"><startEvent id="s"/>${task}<endEvent id="e"/>${flow('s', 't')}${flow('t', 'e')}</process>`);
}

async function refusal(xml: string) {
  const error = await compileBpmn(xml).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).details;
}

describe('arrival notice setting', () => {
  it("is read from a user task's settings", async () => {
    const { processes } = await compileBpmn(model(`<userTask id="t" camunda:assignee="bob">${notify('complaint_escalated')}</userTask>`));
    expect(arrivalTemplateOf(processes[0]!.nodes.t)).toBe('complaint_escalated');
    const plain = await compileBpmn(model('<userTask id="t" camunda:assignee="bob"/>'));
    expect(arrivalTemplateOf(plain.processes[0]!.nodes.t)).toBeNull();
  });

  it('is refused on a service task and when it names no template key', async () => {
    expect(await refusal(model(`<serviceTask id="t">${notify('complaint_escalated')}</serviceTask>`))).toEqual([
      expect.objectContaining({ pointer: 't', message: expect.stringContaining('belongs on a user task') }),
    ]);
    expect(await refusal(model(`<userTask id="t" camunda:assignee="bob">${notify('{{owner}}')}</userTask>`))).toEqual([
      expect.objectContaining({ pointer: 't', message: expect.stringContaining('not "{{owner}}"') }),
    ]);
  });
});
