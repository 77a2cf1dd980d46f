/** Small checks for request bodies and queries; each failure names the field by JSON pointer. */
import { ValidationError } from '../../engine/errors.ts';

export function bodyObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('The request body must be a JSON object', [{ pointer: '', message: 'expected an object' }]);
  }
  return body as Record<string, unknown>;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(`"${field}" is required and must be a non-empty string`, [
      { pointer: `/${field}`, message: 'required non-empty string' },
    ]);
  }
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ValidationError(`"${field}" must be a string`, [{ pointer: `/${field}`, message: 'expected a string' }]);
  }
  return value;
}

export function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = body[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`"${field}" must be a JSON object`, [{ pointer: `/${field}`, message: 'expected an object' }]);
  }
  return value as Record<string, unknown>;
}

export function queryString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new ValidationError(`Query parameter "${name}" must be given once, as text`, [
      { pointer: name, message: 'expected a single value' },
    ]);
  }
  return value;
}
