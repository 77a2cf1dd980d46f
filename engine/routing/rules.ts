/**
 * Reading and saving a form's routing rules. Everything is checked before anything is
 * written — each FEEL condition parses and makes sense for the form's fields (a select field
 * compared with a value it cannot hold, a name that is not a field: 422 at the rule's
 * condition; engine/expressions/fieldConditions.ts), each department exists — and a save
 * replaces the whole ordered list in one transaction.
 *
 * Decision: a routed form must name a default department. A save without one is refused
 * (422), so a record of a routed form always lands in some queue; forms without any routing
 * configuration simply create no tickets.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { NotFoundError, ValidationError, type ErrorDetail } from '../errors.ts';
import { checkExpression, classifyExpression } from '../expressions/index.ts';
import { fieldConditionDetails, type ConditionLocale } from '../expressions/fieldConditions.ts';
import { formConditionFields } from '../forms/conditionFields.ts';
import { getRoutingConfig, replaceRoutingConfig, type RoutingConfig } from '../store/routing.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RoutingView {
  defaultDepartmentId: string | null;
  rules: { id: string; position: number; name: string; condition: string; departmentId: string; enabled: boolean }[];
}

/** Conditions are FEEL unless written as JUEL `${…}`; a leading `=` is allowed, as in Camunda. */
export function ruleCondition(text: string) {
  return classifyExpression(text, 'feel');
}

async function assertFormExists(db: Knex, formKey: string): Promise<void> {
  if (!(await db('forms').where({ key: formKey }).first('key'))) throw new NotFoundError(`Form "${formKey}" does not exist`);
}

export async function readRouting(db: Knex, formKey: string): Promise<RoutingView> {
  await assertFormExists(db, formKey);
  const config = await getRoutingConfig(db, formKey);
  if (!config) return { defaultDepartmentId: null, rules: [] };
  return {
    defaultDepartmentId: config.defaultDepartmentId,
    rules: config.rules.map(({ formKey: _form, ...rule }) => rule),
  };
}

/** Checks the request body shape and the expressions; department existence is checked by `saveRouting`. */
export function parseRoutingBody(formKey: string, body: unknown): { config: RoutingConfig; departmentPointers: Map<string, string[]> } {
  const details: ErrorDetail[] = [];
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const departmentPointers = new Map<string, string[]>();
  const department = (value: unknown, pointer: string): string => {
    if (typeof value !== 'string' || !UUID.test(value)) {
      details.push({ pointer, message: 'expected a department id' });
      return '';
    }
    departmentPointers.set(value, [...(departmentPointers.get(value) ?? []), pointer]);
    return value;
  };
  const defaultDepartmentId = department(input.defaultDepartmentId, '/defaultDepartmentId');
  if (!Array.isArray(input.rules)) details.push({ pointer: '/rules', message: 'expected an array of rules' });
  const rules = (Array.isArray(input.rules) ? input.rules : []).map((raw: unknown, index) => {
    const at = `/rules/${index}`;
    const rule = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
    const name = typeof rule.name === 'string' && rule.name.trim() ? rule.name : `rule ${index + 1}`;
    let condition = '';
    if (typeof rule.condition !== 'string' || !rule.condition.trim()) {
      details.push({ pointer: `${at}/condition`, message: 'required FEEL condition' });
    } else {
      condition = rule.condition;
      const problem = checkExpression(ruleCondition(condition));
      if (problem) details.push({ pointer: `${at}/condition`, message: problem });
    }
    if (rule.enabled !== undefined && typeof rule.enabled !== 'boolean') {
      details.push({ pointer: `${at}/enabled`, message: 'expected true or false' });
    }
    // A rule keeps its id across saves when the client sends it back, so tickets stay traceable.
    const id = typeof rule.id === 'string' && UUID.test(rule.id) ? rule.id : randomUUID();
    return {
      id,
      formKey,
      position: index,
      name,
      condition,
      departmentId: department(rule.departmentId, `${at}/departmentId`),
      enabled: rule.enabled !== false,
    };
  });
  const ids = new Set<string>();
  rules.forEach((rule, index) => {
    if (ids.has(rule.id)) details.push({ pointer: `/rules/${index}/id`, message: 'duplicate rule id' });
    ids.add(rule.id);
  });
  if (details.length) throw new ValidationError('The routing rules are invalid', details);
  return { config: { formKey, defaultDepartmentId, rules }, departmentPointers };
}

const RULE_TEXT = {
  'zh-CN': (name: string, problem: string) => `规则“${name}”：${problem}`,
  en: (name: string, problem: string) => `Rule "${name}": ${problem}`,
};

/**
 * A rule sees exactly the record's data, so its FEEL condition may name only the form's fields
 * and compare a select or radio field only with a value it can hold. One 422 lists every
 * problem at `/rules/<i>/condition`; its message names the first rule in the admin's words.
 */
async function assertConditionsFitForm(db: Knex, config: RoutingConfig, locale: ConditionLocale): Promise<void> {
  const fields = await formConditionFields(db, config.formKey, locale);
  if (!fields) return;
  const details: ErrorDetail[] = [];
  let first: string | undefined;
  config.rules.forEach((rule, index) => {
    const condition = ruleCondition(rule.condition);
    if (condition.language !== 'feel') return;
    for (const problem of fieldConditionDetails(condition.source, fields, { locale, unknownNames: true })) {
      details.push({ pointer: `/rules/${index}/condition`, message: problem.message, code: problem.code, params: problem.params });
      first ??= RULE_TEXT[locale](rule.name, problem.message);
    }
  });
  if (first) throw new ValidationError(first, details, 'invalid_condition');
}

export async function saveRouting(
  db: Knex,
  formKey: string,
  body: unknown,
  updatedBy: string | null,
  locale: ConditionLocale = 'zh-CN',
): Promise<RoutingView> {
  await assertFormExists(db, formKey);
  const { config, departmentPointers } = parseRoutingBody(formKey, body);
  await assertConditionsFitForm(db, config, locale);
  const known = new Set<string>(
    (await db('departments').whereIn('id', [...departmentPointers.keys()]).select('id')).map((row: { id: string }) => row.id),
  );
  const unknown = [...departmentPointers].filter(([id]) => !known.has(id));
  if (unknown.length) {
    throw new ValidationError(
      'Unknown department',
      unknown.flatMap(([id, pointers]) => pointers.map((pointer) => ({ pointer, message: `no department ${id}` }))),
    );
  }
  await db.transaction((trx) => replaceRoutingConfig(trx, config, updatedBy));
  return readRouting(db, formKey);
}
