/**
 * What the soak (and the two-node crash test) deploys: three small processes and one form,
 * each exercising one path of the engine under load.
 *
 * - `soak_approval`: start → user task for admin → end (a start, then a completion).
 * - `soak_timer`: start → 1 s timer → end (a timer job that one executor of either node fires).
 * - `soak_message`: start → wait for message `soak-go` (correlation key = business key) → end.
 * - form `soak_note`: plain records, written and updated.
 */

export const APPROVAL_KEY = 'soak_approval';
export const TIMER_KEY = 'soak_timer';
export const MESSAGE_KEY = 'soak_message';
export const MESSAGE_NAME = 'soak-go';
export const NOTE_FORM = 'soak_note';
/** The timer's element id: its `activity_history` rows count the firings. */
export const TIMER_ELEMENT = 'wait';

function definitions(body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  targetNamespace="http://liuzhuan.dev/soak">
  ${extra}
  ${body}
</definitions>`;
}

const flow = (source: string, target: string) => `<sequenceFlow id="${source}-${target}" sourceRef="${source}" targetRef="${target}"/>`;

export const SOAK_MODELS = [
  definitions(`<process id="${APPROVAL_KEY}" isExecutable="true">
    <startEvent id="start"/><userTask id="review" camunda:assignee="admin"/><endEvent id="end"/>
    ${flow('start', 'review')}${flow('review', 'end')}
  </process>`),
  definitions(`<process id="${TIMER_KEY}" isExecutable="true">
    <startEvent id="start"/>
    <intermediateCatchEvent id="${TIMER_ELEMENT}"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <endEvent id="end"/>${flow('start', TIMER_ELEMENT)}${flow(TIMER_ELEMENT, 'end')}
  </process>`),
  definitions(
    `<process id="${MESSAGE_KEY}" isExecutable="true">
    <startEvent id="start"/>
    <intermediateCatchEvent id="go"><messageEventDefinition messageRef="soakGo"/></intermediateCatchEvent>
    <endEvent id="end"/>${flow('start', 'go')}${flow('go', 'end')}
  </process>`,
    `<message id="soakGo" name="${MESSAGE_NAME}"/>`,
  ),
];

export const NOTE_FORM_BODY = {
  key: NOTE_FORM,
  title: 'Soak note',
  schema: {
    type: 'object',
    properties: { title: { type: 'string', maxLength: 200 }, amount: { type: 'integer', minimum: 0 } },
    required: ['title'],
  },
};
