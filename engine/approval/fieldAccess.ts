/**
 * Field permissions applied to data: what an assignee may see (hidden fields never leave
 * the server) and what a completion may change. The checks compare with the instance's
 * current values, so a client that echoes a read-only field back unchanged is fine.
 */
import { isDeepStrictEqual } from 'node:util';
import { ValidationError, type ErrorDetail } from '../errors.ts';
import { accessOf, type FieldPermissions } from './nodeSettings.ts';

/** The variables without the fields hidden at this node. */
export function visibleData(permissions: FieldPermissions, variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => accessOf(permissions, name) !== 'hidden'));
}

/** A JSON Schema / UI schema without the hidden fields, so the form does not even name them. */
export function visibleSchema(permissions: FieldPermissions, schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (!properties) return schema;
  const shown = (name: string) => accessOf(permissions, name) !== 'hidden';
  const result: Record<string, unknown> = {
    ...schema,
    properties: Object.fromEntries(Object.entries(properties).filter(([name]) => shown(name))),
  };
  if (Array.isArray(schema.required)) result.required = schema.required.filter((name) => shown(String(name)));
  return result;
}

export function visibleUiSchema(permissions: FieldPermissions, uiSchema: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(uiSchema).filter(([name]) => accessOf(permissions, name) !== 'hidden'));
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/**
 * 422 with one pointer per offending field when the submission changes a read-only or
 * hidden field, or leaves a field required at this node empty (after merging with the
 * instance's data).
 */
export function assertFieldPermissions(
  permissions: FieldPermissions,
  current: Record<string, unknown>,
  submitted: Record<string, unknown>,
  locale: string,
  options: { checkRequired?: boolean } = {},
): void {
  const en = locale === 'en';
  const details: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(submitted)) {
    const access = accessOf(permissions, name);
    if ((access === 'readonly' || access === 'hidden') && !isDeepStrictEqual(value, current[name])) {
      details.push({ pointer: `/${name}`, message: en ? `is ${access} at this node and cannot be changed` : '此节点不可修改该字段' });
    }
  }
  for (const [name, access] of Object.entries(permissions)) {
    if (access !== 'required' || options.checkRequired === false) continue;
    const value = name in submitted ? submitted[name] : current[name];
    if (isEmpty(value)) details.push({ pointer: `/${name}`, message: en ? 'is required at this node' : '此节点必须填写该字段' });
  }
  if (details.length > 0) {
    throw new ValidationError('The submitted data breaks the field permissions of this node', details, 'field_permissions');
  }
}
