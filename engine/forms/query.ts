/**
 * Parses the record list query string — `filter[field][op]=value`, `sort`, `page`,
 * `pageSize` — into a `RecordQuery`, typing each field from the form schema so that
 * numbers compare as numbers. Anything unknown or malformed is a 422 naming the parameter:
 * a typo must not silently widen the result.
 */
import { ValidationError } from '../errors.ts';

export type FieldKind = 'text' | 'number' | 'boolean';
export type FilterOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'in';

export interface RecordFilter {
  /** Path into the record data, e.g. ['customer', 'name']. */
  path: string[];
  kind: FieldKind;
  op: FilterOp;
  /** Typed values; one except for `in`. */
  values: (string | number | boolean)[];
}

export interface RecordSort {
  column?: 'createdAt' | 'updatedAt';
  path?: string[];
  kind?: FieldKind;
  descending: boolean;
}

export interface RecordQuery {
  filters: RecordFilter[];
  sort: RecordSort[];
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;
const FIELD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const OPS: FilterOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in'];
const OPS_BY_KIND: Record<FieldKind, FilterOp[]> = {
  text: OPS,
  number: OPS,
  boolean: ['eq', 'ne', 'in'],
};

type Schema = Record<string, any>;

function invalid(parameter: string, message: string): ValidationError {
  return new ValidationError(`Invalid query parameter ${parameter}: ${message}`, [{ pointer: parameter, message }], 'invalid_query');
}

/** The sub-schema of a property, looking through plain `properties` and composition keywords. */
function propertySchema(schema: Schema | undefined, name: string): Schema | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const direct = schema.properties?.[name];
  if (direct && typeof direct === 'object') return direct;
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of Array.isArray(schema[keyword]) ? schema[keyword] : []) {
      const found = propertySchema(branch, name);
      if (found) return found;
    }
  }
  for (const keyword of ['then', 'else']) {
    const found = propertySchema(schema[keyword], name);
    if (found) return found;
  }
  return undefined;
}

/** Kind of the field at `path`, or an error message when it cannot be filtered or sorted on. */
function fieldKind(schema: Schema, path: string[]): FieldKind | string {
  let current: Schema | undefined = schema;
  for (const segment of path) {
    current = propertySchema(current, segment);
    if (!current) return `the form has no field "${path.join('.')}"`;
  }
  const type = current!.type;
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'object' || type === 'array') return `field "${path.join('.')}" is a ${type}; filter on its inner fields`;
  return 'text';
}

function parsePath(parameter: string, text: string): string[] {
  const path = text.split('.');
  if (!path.every((segment) => FIELD_SEGMENT.test(segment))) {
    throw invalid(parameter, `"${text}" is not a field name (letters, digits, _; nested with ".")`);
  }
  return path;
}

function typedValue(parameter: string, kind: FieldKind, value: string): string | number | boolean {
  if (kind === 'number') {
    if (!NUMBER.test(value.trim())) throw invalid(parameter, `"${value}" is not a number`);
    return Number(value);
  }
  if (kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw invalid(parameter, `"${value}" is not true or false`);
    return value === 'true';
  }
  return value;
}

function parseFilter(schema: Schema, parameter: string, field: string, op: string, value: string): RecordFilter {
  const path = parsePath(parameter, field);
  if (!OPS.includes(op as FilterOp)) throw invalid(parameter, `unknown operator "${op}"; use one of ${OPS.join(', ')}`);
  const kind = fieldKind(schema, path);
  if (!['text', 'number', 'boolean'].includes(kind)) throw invalid(parameter, kind);
  const fieldType = kind as FieldKind;
  if (!OPS_BY_KIND[fieldType].includes(op as FilterOp)) {
    throw invalid(parameter, `operator "${op}" does not apply to a ${fieldType} field`);
  }
  if (op === 'contains') return { path, kind: fieldType, op, values: [value] };
  const raw = op === 'in' ? value.split(',') : [value];
  return { path, kind: fieldType, op: op as FilterOp, values: raw.map((v) => typedValue(parameter, fieldType, v)) };
}

function parseSort(schema: Schema, value: string): RecordSort[] {
  return value.split(',').map((item) => {
    const descending = item.startsWith('-');
    const name = descending ? item.slice(1) : item;
    if (name === 'createdAt' || name === 'updatedAt') return { column: name, descending };
    if (name.startsWith('data.')) {
      const path = parsePath('sort', name.slice('data.'.length));
      const kind = fieldKind(schema, path);
      if (kind !== 'text' && kind !== 'number' && kind !== 'boolean') throw invalid('sort', kind);
      return { path, kind, descending };
    }
    throw invalid('sort', `cannot sort by "${item}"; use createdAt, updatedAt or data.<field>, "-" for descending`);
  });
}

function parsePositive(parameter: string, value: string, max?: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw invalid(parameter, `"${value}" is not a whole number ≥ 1`);
  const number = Number(value);
  if (max !== undefined && number > max) throw invalid(parameter, `must be at most ${max}`);
  return number;
}

/**
 * `params` are the raw query-string pairs (read from the URL, so the result does not depend
 * on express's query parser); `schema` is the latest version of the form.
 */
export function parseRecordQuery(params: Iterable<[string, string]>, schema: Schema): RecordQuery {
  const query: RecordQuery = { filters: [], sort: [{ column: 'createdAt', descending: true }], page: 1, pageSize: DEFAULT_PAGE_SIZE };
  const seen = new Set<string>();
  for (const [parameter, value] of params) {
    const filter = /^filter\[([^\]]*)\](?:\[([^\]]*)\])?$/.exec(parameter);
    if (filter) {
      query.filters.push(parseFilter(schema, parameter, filter[1], filter[2] ?? 'eq', value));
      continue;
    }
    if (seen.has(parameter)) throw invalid(parameter, 'given more than once');
    seen.add(parameter);
    if (parameter === 'sort') query.sort = parseSort(schema, value);
    else if (parameter === 'page') query.page = parsePositive(parameter, value);
    else if (parameter === 'pageSize') query.pageSize = parsePositive(parameter, value, MAX_PAGE_SIZE);
    else throw invalid(parameter, 'unknown parameter; use filter[field][op], sort, page, pageSize');
  }
  return query;
}
