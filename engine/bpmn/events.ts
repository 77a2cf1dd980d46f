/**
 * Event definitions → EventDefinition. Which definitions an event may carry depends on where
 * it sits (a timer cannot end a process, an error can only start an event sub-process);
 * anything else is refused with the element named, never dropped.
 */
import type { CompileContext } from './context.ts';
import type { EventDefinition } from './model.ts';
import { child, children, describe, extensions, tagName, text, type ModdleElement } from './moddleAccess.ts';
import { eventAccess } from './liuzhuan.ts';
import { rawReference } from './parse.ts';

export type EventRole =
  | 'processStart'
  | 'eventSubProcessStart'
  | 'subProcessStart'
  | 'end'
  | 'catch'
  | 'throw'
  | 'boundary';

type DefinitionType = EventDefinition['type'];

const ALLOWED: Record<EventRole, DefinitionType[]> = {
  processStart: ['message', 'signal', 'timer'],
  eventSubProcessStart: ['message', 'signal', 'timer', 'error'],
  // An embedded sub-process is entered by its incoming flow: only a none start event fits.
  subProcessStart: [],
  end: ['terminate', 'error', 'message', 'signal'],
  catch: ['message', 'signal', 'timer'],
  throw: ['message', 'signal'],
  boundary: ['message', 'signal', 'timer', 'error'],
};

const TYPE_OF: Record<string, DefinitionType> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:TerminateEventDefinition': 'terminate',
};

/**
 * The event's definition, or undefined for a none event. Problems (unsupported or misplaced
 * definitions, dangling references) are reported on `ctx`.
 */
export function compileEventDefinition(
  ctx: CompileContext,
  event: ModdleElement,
  role: EventRole,
): EventDefinition | undefined {
  const definitions = [...children(event, 'eventDefinitions'), ...children(event, 'eventDefinitionRefs')];
  const id = event.id;
  if (definitions.length === 0) {
    if (role === 'catch' || role === 'boundary') {
      ctx.problem(id, `${describe(event)} needs a message, signal, timer${role === 'boundary' ? ' or error' : ''} definition`);
    }
    return undefined;
  }
  if (definitions.length > 1) {
    ctx.problem(id, `${describe(event)} has several event definitions (multiple/parallel events are not supported)`);
    return undefined;
  }
  const definition = definitions[0];
  const type = TYPE_OF[definition.$type];
  if (!type) {
    ctx.problem(id, `${describe(event)} uses a ${tagName(definition)}, which is not supported`);
    return undefined;
  }
  if (!ALLOWED[role].includes(type)) {
    ctx.problem(id, `${describe(event)} cannot carry a ${tagName(definition)} here (${placeName(role)})`);
    return undefined;
  }
  switch (type) {
    case 'message':
      return messageDefinition(ctx, event, definition, role);
    case 'signal':
      return signalDefinition(ctx, event, definition);
    case 'timer':
      return timerDefinition(ctx, event, definition);
    case 'error':
      return errorDefinition(ctx, event, definition, role);
    case 'terminate':
      return { type: 'terminate' };
  }
}

function placeName(role: EventRole): string {
  const names: Record<EventRole, string> = {
    processStart: 'a process start event',
    eventSubProcessStart: 'an event sub-process start event',
    subProcessStart: 'the start event of an embedded sub-process must be a none start event',
    end: 'an end event',
    catch: 'an intermediate catch event',
    throw: 'an intermediate throw event',
    boundary: 'a boundary event',
  };
  return names[role];
}

/**
 * A message's name is what correlation matches (Camunda's rule), falling back to its id.
 * Also used by receive tasks, whose `messageRef` sits on the task itself.
 */
export function messageEvent(
  ctx: CompileContext,
  owner: ModdleElement,
  holder: ModdleElement,
  required: boolean,
): Extract<EventDefinition, { type: 'message' }> | undefined {
  const message = child(holder, 'messageRef');
  if (!message) {
    const raw = rawReference(ctx.parsed, holder, 'messageRef');
    if (raw) ctx.problem(owner.id, `${describe(owner)}: messageRef '${raw}' does not name a message of this file`);
    else if (required) ctx.problem(owner.id, `${describe(owner)} has a message definition without messageRef`);
    return undefined;
  }
  const messageName = text(message, 'name') ?? message.id ?? '';
  const subscription = extensions(message, 'zeebe:Subscription')[0];
  const key = text(subscription, 'correlationKey');
  // Zeebe writes FEEL (`=orderId`); a bare name is a FEEL path too.
  const correlationKey = ctx.optionalExpression(owner.id, `correlation key of message '${messageName}'`, key, 'feel');
  const access = eventAccess(ctx, owner, message);
  return { type: 'message', messageName, ...(correlationKey ? { correlationKey } : {}), ...access };
}

function messageDefinition(
  ctx: CompileContext,
  event: ModdleElement,
  definition: ModdleElement,
  role: EventRole,
): EventDefinition | undefined {
  const throwing = role === 'end' || role === 'throw';
  // Camunda sends a thrown message through a Java delegate, an expression or an external task.
  const sender = ['camunda:class', 'camunda:delegateExpression', 'camunda:expression', 'camunda:type'].find((name) =>
    text(definition, name),
  );
  if (throwing && sender) {
    ctx.problem(event.id, `${describe(event)} sends its message through ${sender}, which is not supported: use a liuzhuan:Effect on a service task`);
  }
  const result = messageEvent(ctx, event, definition, !throwing);
  if (!result && throwing) ctx.warn(event.id, `${describe(event)} throws no named message: it passes straight through`);
  return result;
}

function signalDefinition(ctx: CompileContext, event: ModdleElement, definition: ModdleElement): EventDefinition | undefined {
  const signal = child(definition, 'signalRef');
  if (!signal) {
    const raw = rawReference(ctx.parsed, definition, 'signalRef');
    ctx.problem(
      event.id,
      raw
        ? `${describe(event)}: signalRef '${raw}' does not name a signal of this file`
        : `${describe(event)} has a signal definition without signalRef`,
    );
    return undefined;
  }
  return { type: 'signal', signalName: text(signal, 'name') ?? signal.id ?? '', ...eventAccess(ctx, event, signal) };
}

function timerDefinition(ctx: CompileContext, event: ModdleElement, definition: ModdleElement): EventDefinition | undefined {
  const forms = [
    ['duration', child(definition, 'timeDuration')],
    ['date', child(definition, 'timeDate')],
    ['cycle', child(definition, 'timeCycle')],
  ] as const;
  const present = forms.filter(([, value]) => value !== undefined);
  if (present.length !== 1) {
    ctx.problem(event.id, `${describe(event)} needs exactly one of timeDuration, timeDate or timeCycle`);
    return undefined;
  }
  const [kind, expression] = present[0];
  const value = text(expression, 'body');
  if (value === undefined) {
    ctx.problem(event.id, `${describe(event)} has an empty timer ${kind}`);
    return undefined;
  }
  return { type: 'timer', timer: { kind, value: ctx.timer(event.id, kind, value) } };
}

/**
 * Without errorRef an error end event throws, and an error catch event catches, any error.
 * An error without errorCode is known by its id, on both sides, so throw and catch still match.
 */
function errorDefinition(
  ctx: CompileContext,
  event: ModdleElement,
  definition: ModdleElement,
  role: EventRole,
): EventDefinition | undefined {
  if (role === 'boundary' && event.get('cancelActivity') === false) {
    ctx.problem(event.id, `${describe(event)}: an error boundary event is always interrupting (cancelActivity="false" is invalid)`);
  }
  if (role === 'eventSubProcessStart' && event.get('isInterrupting') === false) {
    ctx.problem(event.id, `${describe(event)}: an error start event is always interrupting (isInterrupting="false" is invalid)`);
  }
  const error = child(definition, 'errorRef');
  if (!error) {
    const raw = rawReference(ctx.parsed, definition, 'errorRef');
    if (raw) {
      ctx.problem(event.id, `${describe(event)}: errorRef '${raw}' does not name an error of this file`);
      return undefined;
    }
    return { type: 'error' };
  }
  const errorCode = text(error, 'errorCode') ?? error.id;
  const errorName = text(error, 'name');
  return { type: 'error', ...(errorCode ? { errorCode } : {}), ...(errorName ? { errorName } : {}) };
}
