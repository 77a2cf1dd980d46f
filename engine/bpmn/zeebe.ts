/**
 * Models drawn in Camunda Modeler for Camunda 8 (`modeler:executionPlatform="Camunda Cloud"`):
 * the Zeebe extension elements (npm `zeebe-bpmn-moddle`, loaded in parse.ts) mapped onto what
 * Liuzhuan runs, and the ones with no meaning here refused at deploy, each naming its element
 * and the setting. Mapped elsewhere: `zeebe:assignmentDefinition`, `taskSchedule`,
 * `priorityDefinition` (camundaSettings.ts `userTaskSettings`), `zeebe:ioMapping` on activities
 * and call activities, `zeebe:calledElement`, `zeebe:loopCharacteristics`,
 * `zeebe:subscription` (events.ts), FEEL `=…` conditions (context.ts `expression`).
 * Here:
 *  - `zeebe:formDefinition`: `formId` (a form deployed by key) or `formKey` is the form; on the
 *    start event it binds the flow form (engine/forms/flowBinding.ts). A `camunda-forms:bpmn:…`
 *    key points at a Camunda Form embedded in the file (`zeebe:userTaskForm`), which nothing
 *    here can show: refused.
 *  - `zeebe:taskDefinition`: a job type for an outside worker. The types of our own effects
 *    (`webhook`, `email`, `chatRobot`) run as that effect, `zeebe:taskHeaders` being its
 *    settings (`url`, `method`, `to`, …); any other type is refused.
 *  - `zeebe:taskHeaders` anywhere else, and `zeebe:ioMapping` on an event, configure nothing
 *    here: refused.
 */
import type { CompileContext } from './context.ts';
import type { ServiceTaskSettings } from './model.ts';
import { children, describe, extensions, text, type ModdleElement } from './moddleAccess.ts';

/** Job types that are our own effects (engine/effects): the worker is built in. */
export const ZEEBE_EFFECT_TYPES = ['webhook', 'email', 'chatRobot'];

const EMBEDDED_FORM = /^camunda-forms:bpmn:/;

/** The form a `zeebe:formDefinition` names, as written (`formId` first). */
export function zeebeFormKey(el: ModdleElement | undefined): string | undefined {
  const definition = el ? extensions(el, 'zeebe:FormDefinition')[0] : undefined;
  return text(definition, 'formId') ?? text(definition, 'formKey');
}

function refuse(ctx: CompileContext, el: ModdleElement, setting: string, message: string): void {
  ctx.problem(el.id, `${describe(el)}: ${setting} ${message}`, { code: 'zeebe_unsupported', params: { setting } });
}

/**
 * What a `zeebe:taskDefinition` runs: one of our effects, configured by the task headers.
 * Undefined without one; a refusal recorded (and undefined) for a type we have no worker for.
 */
export function zeebeTaskImplementation(ctx: CompileContext, el: ModdleElement): ServiceTaskSettings | undefined {
  const task = extensions(el, 'zeebe:TaskDefinition')[0];
  if (!task) return undefined;
  const type = text(task, 'type');
  if (!type || !ZEEBE_EFFECT_TYPES.includes(type)) {
    refuse(
      ctx,
      el,
      `zeebe:taskDefinition type "${type ?? ''}"`,
      `names a Camunda 8 job worker, which Liuzhuan does not run: use type ${ZEEBE_EFFECT_TYPES.join(', ')} (with its settings as task headers) or a liuzhuan:effect`,
    );
    return undefined;
  }
  const config: Record<string, string> = {};
  for (const headers of extensions(el, 'zeebe:TaskHeaders')) {
    for (const header of children(headers, 'values')) {
      const key = text(header, 'key');
      if (key) config[key] = String(header.get('value') ?? '');
    }
  }
  return { kind: 'effect', effectType: type, config };
}

/**
 * Zeebe settings of `el` that mean nothing here. `activity`: ioMapping applies; `runsTask`: a
 * service, send or plain task, where zeebeTaskImplementation reads the task definition.
 */
export function refuseUnmappedZeebe(ctx: CompileContext, el: ModdleElement, where: { activity: boolean; runsTask: boolean }): void {
  const formKey = text(extensions(el, 'zeebe:FormDefinition')[0], 'formKey');
  if (formKey && EMBEDDED_FORM.test(formKey)) {
    refuse(
      ctx,
      el,
      `zeebe:formDefinition formKey "${formKey}"`,
      'is a Camunda Form embedded in the model (zeebe:userTaskForm), which Liuzhuan cannot show: name one of our forms with formId',
    );
  }
  const hasTask = extensions(el, 'zeebe:TaskDefinition').length > 0;
  if (hasTask && !where.runsTask) {
    refuse(ctx, el, 'zeebe:taskDefinition', 'hands this element to a Camunda 8 job worker, which Liuzhuan does not run: use a service task with a liuzhuan:effect');
  }
  if (!(hasTask && where.runsTask) && extensions(el, 'zeebe:TaskHeaders').length > 0) {
    refuse(ctx, el, 'zeebe:taskHeaders', 'configure a Camunda 8 job worker and mean nothing without a zeebe:taskDefinition of webhook, email or chatRobot');
  }
  if (!where.activity && extensions(el, 'zeebe:IoMapping').length > 0) {
    refuse(ctx, el, 'zeebe:ioMapping', 'on an event is not supported: map the variables on the task before or after it');
  }
}
