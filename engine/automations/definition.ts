/**
 * Parsing an automation from an admin's request: shape, trigger/key, and every FEEL
 * expression checked at save time, so a typo is a 422 naming the JSON pointer rather than a
 * failed run later. Expressions are FEEL (a leading `=` is allowed); in `notify.to` an entry
 * is a username unless it starts with `=`, then it is FEEL yielding a username or a list.
 */
import { checkExpression, classifyExpression } from '../expressions/index.ts';
import { ValidationError, type ErrorDetail } from '../errors.ts';
import type { AutomationInput, AutomationTrigger } from '../store/automations.ts';
import { parseSchedule } from './schedule.ts';

const TRIGGERS: AutomationTrigger[] = ['record.created', 'record.updated', 'process.finished', 'schedule'];
export const ACTION_TYPES = ['createRecord', 'updateRecord', 'startProcess', 'webhook', 'notify', 'correlateMessage'] as const;

export const feel = (text: string) => classifyExpression(text, 'feel');

class Checker {
  readonly details: ErrorDetail[] = [];
  fail(pointer: string, message: string) {
    this.details.push({ pointer, message });
  }
  string(value: unknown, pointer: string): value is string {
    if (typeof value === 'string' && value.trim() !== '') return true;
    this.fail(pointer, 'must be a non-empty string');
    return false;
  }
  expression(value: unknown, pointer: string) {
    if (!this.string(value, pointer)) return;
    const problem = checkExpression(feel(value));
    if (problem) this.fail(pointer, problem);
  }
  /** `{name: expression}`; `minimum` entries. */
  expressions(value: unknown, pointer: string, minimum = 0) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      if (value === undefined && minimum === 0) return;
      this.fail(pointer, 'must be an object of FEEL expressions');
      return;
    }
    const entries = Object.entries(value);
    if (entries.length < minimum) this.fail(pointer, `needs at least ${minimum} entry`);
    for (const [name, expr] of entries) this.expression(expr, `${pointer}/${name}`);
  }
}

function checkAction(c: Checker, action: any, pointer: string) {
  if (!action || typeof action !== 'object' || !ACTION_TYPES.includes(action.type)) {
    c.fail(`${pointer}/type`, `must be one of ${ACTION_TYPES.join(', ')}`);
    return;
  }
  switch (action.type) {
    case 'createRecord':
      c.string(action.formKey, `${pointer}/formKey`);
      c.expressions(action.data, `${pointer}/data`, 1);
      break;
    case 'updateRecord':
      c.string(action.formKey, `${pointer}/formKey`);
      // No `match`: the record the automation runs for (record and schedule triggers).
      c.expressions(action.match, `${pointer}/match`);
      c.expressions(action.set, `${pointer}/set`, 1);
      break;
    case 'startProcess':
      c.string(action.definitionKey, `${pointer}/definitionKey`);
      c.expressions(action.variables, `${pointer}/variables`);
      if (action.businessKey !== undefined && action.businessKey !== null && action.businessKey !== '') c.expression(action.businessKey, `${pointer}/businessKey`);
      break;
    case 'correlateMessage':
      // Ends a wait in a running instance (e.g. a payment_record ends its installment's wait).
      c.string(action.messageName, `${pointer}/messageName`);
      if (action.correlationKey !== undefined && action.correlationKey !== null && action.correlationKey !== '') c.expression(action.correlationKey, `${pointer}/correlationKey`);
      c.expressions(action.variables, `${pointer}/variables`);
      break;
    case 'webhook':
      if (c.string(action.url, `${pointer}/url`) && !/^https?:\/\//i.test(action.url)) c.fail(`${pointer}/url`, 'must be an http(s) URL');
      if (action.secret !== undefined && typeof action.secret !== 'string') c.fail(`${pointer}/secret`, 'must be a string');
      break;
    case 'notify':
      c.string(action.template, `${pointer}/template`);
      if (!Array.isArray(action.to) || action.to.length === 0) c.fail(`${pointer}/to`, 'must be a non-empty list of usernames or =FEEL');
      else
        action.to.forEach((entry: unknown, i: number) => {
          if (typeof entry === 'string' && entry.trimStart().startsWith('=')) c.expression(entry, `${pointer}/to/${i}`);
          else c.string(entry, `${pointer}/to/${i}`);
        });
      break;
  }
}

export function parseAutomation(body: unknown): AutomationInput {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const c = new Checker();
  c.string(input.name, '/name');
  if (!TRIGGERS.includes(input.trigger)) c.fail('/trigger', `must be one of ${TRIGGERS.join(', ')}`);
  const keyName = input.trigger === 'process.finished' ? 'definitionKey' : 'formKey';
  c.string(input[keyName], `/${keyName}`);
  // A schedule runs over the records of its form (schedule.ts, tick.ts).
  const schedule = input.trigger === 'schedule' ? parseSchedule(input.schedule, '/schedule', c.details) : null;
  if (input.filter !== undefined && input.filter !== null && input.filter !== '') c.expression(input.filter, '/filter');
  if (!Array.isArray(input.actions) || input.actions.length === 0) c.fail('/actions', 'must be a non-empty list');
  else input.actions.forEach((action: unknown, i: number) => checkAction(c, action, `/actions/${i}`));
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') c.fail('/enabled', 'must be true or false');
  if (c.details.length) throw new ValidationError(`The automation is invalid: ${c.details[0]!.pointer} ${c.details[0]!.message}`, c.details);
  return {
    name: input.name,
    trigger: input.trigger,
    formKey: keyName === 'formKey' ? input.formKey : null,
    definitionKey: keyName === 'definitionKey' ? input.definitionKey : null,
    filter: input.filter || null,
    schedule,
    actions: input.actions,
    enabled: input.enabled ?? true,
  };
}
