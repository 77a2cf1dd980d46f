/**
 * The `liuzhuan:` extension elements (see liuzhuan.json): script-free variable setting, side
 * effects run as jobs, and node settings (approval mode, field permissions, …) that the
 * approval layer reads from `FlowNode.extensions` as plain JSON.
 */
import type { CompileContext } from './context.ts';
import type { EventAccess, EventAccessLevel, ServiceTaskSettings, VariableAssignment } from './model.ts';
import { children, describe, extensions, isElement, text, type ModdleElement } from './moddleAccess.ts';

export const LIUZHUAN_PREFIX = 'liuzhuan:';

/**
 * `<liuzhuan:setVariables><liuzhuan:variable name="total" value="price * quantity"/>…`.
 * `value` is FEEL unless it holds `${…}` (JUEL) — our own extension, so the product's
 * expression language is the default; `source` copies another variable as is.
 */
export function setVariablesSettings(ctx: CompileContext, el: ModdleElement, setVariables: ModdleElement): ServiceTaskSettings {
  const assignments: VariableAssignment[] = [];
  for (const variable of children(setVariables, 'variables')) {
    const target = text(variable, 'name');
    const value = text(variable, 'value');
    const source = text(variable, 'source');
    if (!target || (value === undefined) === (source === undefined)) {
      ctx.problem(el.id, `${describe(el)}: each liuzhuan:variable needs a name and either a value or a source`);
      continue;
    }
    assignments.push(
      value !== undefined
        ? { target, expression: ctx.expression(el.id, `liuzhuan:variable '${target}'`, value, 'feel') }
        : { target, source },
    );
  }
  if (assignments.length === 0) ctx.problem(el.id, `${describe(el)}: liuzhuan:setVariables sets no variable`);
  return { kind: 'setVariables', assignments };
}

/**
 * `<liuzhuan:effect type="webhook" url="…" method="POST"><liuzhuan:entry key="body" value="…"/>`.
 * Plain attributes and entries both become `config`; the effect runner interprets them.
 */
export function effectSettings(ctx: CompileContext, el: ModdleElement, effect: ModdleElement): ServiceTaskSettings {
  const effectType = text(effect, 'type');
  if (!effectType) ctx.problem(el.id, `${describe(el)}: liuzhuan:effect needs a type (webhook, email, chatRobot, …)`);
  const config: Record<string, string> = {};
  for (const [name, value] of Object.entries(effect.$attrs ?? {})) {
    if (!name.includes(':') && name !== 'xmlns') config[name] = value;
  }
  for (const entry of children(effect, 'entries')) {
    const key = text(entry, 'key');
    if (key) config[key] = String(entry.get('value') ?? '');
  }
  return { kind: 'effect', effectType: effectType ?? '', config };
}

const ACCESS_LEVELS: EventAccessLevel[] = ['public', 'involved', 'admin'];

/**
 * `<message … liuzhuan:access="public|involved|admin" liuzhuan:variables="a,b"/>` (also on
 * `<signal>`): who may correlate or throw it from outside and what it may carry (model.ts
 * `EventAccess`). An unknown level is a deploy problem on `owner`, the event using it.
 */
export function eventAccess(ctx: CompileContext, owner: ModdleElement, definition: ModdleElement): EventAccess {
  const result: EventAccess = {};
  const access = text(definition, 'liuzhuan:access');
  if (access !== undefined) {
    if (ACCESS_LEVELS.includes(access as EventAccessLevel)) result.access = access as EventAccessLevel;
    else ctx.problem(owner.id, `${describe(owner)}: liuzhuan:access "${access}" of ${describe(definition)} must be public, involved or admin`);
  }
  const variables = definition.get('liuzhuan:variables');
  if (typeof variables === 'string') {
    result.variables = variables.split(',').map((name) => name.trim()).filter((name) => name !== '');
  }
  return result;
}

/** Every liuzhuan extension element of `el` as JSON, keyed by its tag (`approval`, …). */
export function liuzhuanExtensions(el: ModdleElement): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  for (const value of extensions(el).filter((v) => v.$type.startsWith(LIUZHUAN_PREFIX))) {
    const local = value.$type.slice(LIUZHUAN_PREFIX.length);
    const key = local.charAt(0).toLowerCase() + local.slice(1);
    const json = toJson(value);
    const existing = result[key];
    // A repeated element becomes a list rather than overwriting the first one.
    result[key] = existing === undefined ? json : Array.isArray(existing) ? [...existing, json] : [existing, json];
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function toJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJson);
  if (!isElement(value)) return value;
  const json: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(value.$attrs ?? {})) {
    if (!name.startsWith('xmlns')) json[name] = attr;
  }
  for (const key of Object.keys(value)) {
    if (key.startsWith('$')) continue;
    const property = value[key];
    if (property !== undefined) json[key] = toJson(property);
  }
  return json;
}
