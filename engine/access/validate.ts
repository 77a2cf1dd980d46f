/**
 * Checks a permission group before it is stored: the body's shape (ajv, bounded: names, list
 * lengths, ≤ 20 filter rules), then that every field it names is a field of the form's latest
 * schema and every user, department and role it names exists. Each problem is a 422 detail
 * with the JSON pointer of what is wrong.
 */
import type { Knex } from 'knex';
import { ValidationError, type ErrorDetail } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { bodyValidator } from '../forms/validator.ts';
import { missingDepartmentIds } from '../store/departments.ts';
import { missingUserIds } from '../store/users.ts';
import { topLevelFields } from './schemaFields.ts';
import { FILTER_OPERATORS, RECORD_ACTIONS, type PermissionGroupInput } from './types.ts';

export const MAX_GROUPS_PER_FORM = 50;
export const MAX_FILTER_RULES = 20;
const MAX_MEMBERS = 200;
const MAX_FIELDS = 500;

const FIELD_NAME = { type: 'string', minLength: 1, maxLength: 100 };
const ID_LIST = { type: 'array', maxItems: MAX_MEMBERS, uniqueItems: true, items: { type: 'string', format: 'uuid' } };
const FIELD_LIST = { anyOf: [{ const: '*' }, { type: 'array', maxItems: MAX_FIELDS, uniqueItems: true, items: FIELD_NAME }] };
const SCALAR = { type: ['string', 'number', 'boolean', 'null'], maxLength: 500 };

export const GROUP_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'members', 'actions', 'fields'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    nameEn: { type: ['string', 'null'], maxLength: 100 },
    position: { type: 'integer', minimum: 0, maximum: 10000 },
    members: {
      type: 'object',
      additionalProperties: false,
      properties: {
        users: ID_LIST,
        departments: ID_LIST,
        roles: { type: 'array', maxItems: MAX_MEMBERS, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } },
        everyone: { type: 'boolean' },
        owner: { type: 'boolean' },
        creator: { type: 'boolean' },
        ownerDepartmentHead: { type: 'boolean' },
      },
    },
    actions: { type: 'array', uniqueItems: true, maxItems: RECORD_ACTIONS.length, items: { enum: [...RECORD_ACTIONS] } },
    fields: {
      type: 'object',
      additionalProperties: false,
      required: ['visible', 'editable'],
      properties: { visible: FIELD_LIST, editable: FIELD_LIST },
    },
    filter: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['join', 'rules'],
          properties: {
            join: { enum: ['and', 'or'] },
            rules: {
              type: 'array',
              maxItems: MAX_FILTER_RULES,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['field', 'operator'],
                properties: {
                  field: FIELD_NAME,
                  operator: { enum: [...FILTER_OPERATORS] },
                  value: { anyOf: [SCALAR, { type: 'array', maxItems: 100, items: { type: ['string', 'number'], maxLength: 500 } }] },
                },
              },
            },
          },
        },
      ],
    },
  },
};

const checkShape = bodyValidator(GROUP_BODY_SCHEMA);

const SPECIAL_FIELDS = new Set(['$creator', '$ownerDepartment']);

/** The group as stored, or a 422 naming every problem. */
export async function validateGroup(db: Knex, body: unknown, schema: unknown, locale: MessageLocale): Promise<PermissionGroupInput> {
  checkShape(body, locale);
  const input = body as PermissionGroupInput;
  const en = locale === 'en';
  const details: ErrorDetail[] = [];
  const fields = topLevelFields(schema);
  const checkFields = (list: '*' | string[], pointer: string) => {
    if (list === '*') return;
    list.forEach((name, i) => {
      if (!fields.has(name)) details.push({ pointer: `${pointer}/${i}`, message: en ? `the form has no field "${name}"` : `表单没有字段「${name}」` });
    });
  };
  checkFields(input.fields.visible, '/fields/visible');
  checkFields(input.fields.editable, '/fields/editable');
  (input.filter?.rules ?? []).forEach((rule, i) => {
    if (!fields.has(rule.field) && !SPECIAL_FIELDS.has(rule.field)) {
      details.push({ pointer: `/filter/rules/${i}/field`, message: en ? `the form has no field "${rule.field}"` : `表单没有字段「${rule.field}」` });
    }
    const needsValue = rule.operator !== 'empty' && rule.operator !== 'notEmpty';
    if (needsValue && (rule.value === undefined || rule.value === null || rule.value === '')) {
      details.push({ pointer: `/filter/rules/${i}/value`, message: en ? 'a value is required for this operator' : '该条件需要填写值' });
    }
  });
  const members = input.members ?? {};
  const missingUsers = await missingUserIds(db, members.users ?? []);
  for (const id of missingUsers) details.push({ pointer: `/members/users/${(members.users ?? []).indexOf(id)}`, message: en ? `no user ${id}` : `用户 ${id} 不存在` });
  const missingDepartments = await missingDepartmentIds(db, members.departments ?? []);
  for (const id of missingDepartments) {
    details.push({ pointer: `/members/departments/${(members.departments ?? []).indexOf(id)}`, message: en ? `no department ${id}` : `部门 ${id} 不存在` });
  }
  const roles = members.roles ?? [];
  const known = new Set<string>(roles.length ? await db('roles').whereIn('code', roles).pluck('code') : []);
  roles.forEach((code, i) => {
    if (!known.has(code)) details.push({ pointer: `/members/roles/${i}`, message: en ? `no role "${code}"` : `角色「${code}」不存在` });
  });
  if (details.length) throw new ValidationError(en ? 'The permission group is not valid' : '权限组设置有误', details);
  return {
    name: input.name,
    nameEn: input.nameEn ?? null,
    ...(input.position !== undefined ? { position: input.position } : {}),
    members: {
      users: members.users ?? [],
      departments: members.departments ?? [],
      roles,
      everyone: members.everyone ?? false,
      owner: members.owner ?? false,
      creator: members.creator ?? false,
      ownerDepartmentHead: members.ownerDepartmentHead ?? false,
    },
    actions: input.actions,
    fields: input.fields,
    filter: input.filter && input.filter.rules.length ? input.filter : null,
  };
}
