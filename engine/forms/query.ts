/**
 * Parses the record list query string — `filter[field][op]=value`, `sort`, `page`,
 * `pageSize` — into a `RecordQuery`, typing each field from the form schema so that
 * numbers and dates compare as numbers and dates, and reading a choice field's filter value
 * as its stored value or any of its labels (optionLabels.ts). Anything unknown or malformed is a 422 naming the parameter:
 * a typo must not silently widen the result.
 */
import { ValidationError } from '../errors.ts';
import { blindIndexes } from '../privacy/crypto.ts';
import { personalFields } from '../privacy/personal.ts';
import { fieldOptions, valuesContaining, valuesNamed, type FieldOption } from './optionLabels.ts';

export type FieldKind = 'text' | 'number' | 'boolean' | 'date' | 'choices';
export type FilterOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'in';
/**
 * Internal: what a filter became after option labels were resolved to stored values.
 * `blindIndex`: an exact match on a personal (encrypted) field, by its blind indexes (engine/privacy/crypto.ts).
 */
export type ResolvedOp = FilterOp | 'notIn' | 'blindIndex';

export interface RecordFilter {
  /** Path into the record data, e.g. ['customer', 'name']. */
  path: string[];
  kind: FieldKind;
  op: ResolvedOp;
  /** Typed values; one except for `in` and `notIn` (which may be empty: nothing matches). */
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
/** A user controls these: bounded so that one URL cannot build an enormous query. */
export const MAX_FILTERS = 20;
export const MAX_FILTER_VALUE_LENGTH = 500;
export const MAX_IN_VALUES = 100;
export const MAX_SORT_KEYS = 3;
const FIELD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
/** A calendar date, optionally with a time and offset (what date and date-time fields store). */
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const OPS: FilterOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'in'];
const OPS_BY_KIND: Record<FieldKind, FilterOp[]> = {
  text: OPS,
  number: OPS,
  date: OPS,
  boolean: ['eq', 'ne', 'in'],
  // A checkbox group holds a list: "eq 账单" means "has 账单 among its choices".
  choices: ['eq', 'ne', 'in', 'contains'],
};

type Schema = Record<string, any>;

function invalid(parameter: string, message: string): ValidationError {
  return new ValidationError(`Invalid query parameter ${parameter}: ${message}`, [{ pointer: parameter, message }], 'invalid_query');
}

/** The sub-schema of a property, looking through plain `properties` and composition keywords. */
export function propertySchema(schema: Schema | undefined, name: string): Schema | undefined {
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

interface Field {
  kind: FieldKind;
  /** Set for select, radio and checkbox fields. */
  options?: FieldOption[];
}

/** The field at `path` as a filter or sort sees it, or an error message when it cannot be used. */
function fieldAt(form: FormForQuery, path: string[]): Field | string {
  let current: Schema | undefined = form.schema;
  let ui: Schema | undefined = form.uiSchema;
  for (const segment of path) {
    current = propertySchema(current, segment);
    ui = ui?.[segment];
    if (!current) return `the form has no field "${path.join('.')}"`;
  }
  const schema = current!;
  const options = fieldOptions(schema, ui);
  const type = schema.type;
  if (type === 'array' && options) return { kind: 'choices', options };
  if (type === 'object' || type === 'array') return `field "${path.join('.')}" is a ${type}; filter on its inner fields`;
  if (type === 'number' || type === 'integer') return { kind: 'number', options };
  if (type === 'boolean') return { kind: 'boolean', options };
  if (schema.format === 'date' || schema.format === 'date-time') return { kind: 'date' };
  return { kind: 'text', options };
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
  if (kind === 'date' && !DATE.test(value.trim())) throw invalid(parameter, `"${value}" is not a date (YYYY-MM-DD, optionally with a time)`);
  return kind === 'date' ? value.trim() : value;
}

/**
 * A choice field's filter in the user's words: each value may be the stored value or any of
 * its labels (账单 or Billing for `billing`), so `eq`/`in` become `in` over the stored values,
 * `ne` becomes `notIn`, and `contains` matches values or labels containing the text. A word no
 * option carries is kept as it is (an older version of the form may have stored it).
 */
function choiceFilter(parameter: string, path: string[], field: Field, op: FilterOp, words: string[]): RecordFilter | undefined {
  const options = field.options;
  if (!options || !['eq', 'ne', 'in', 'contains'].includes(op)) return undefined;
  // A checkbox list's items are typed like its options (strings, as the designer makes them).
  const itemKind: FieldKind = field.kind === 'choices' ? (typeof options[0]?.value === 'number' ? 'number' : 'text') : field.kind;
  const resolved = (word: string) => {
    if (op === 'contains') return valuesContaining(options, word);
    return valuesNamed(options, word).map((value) => (typeof value === 'string' && value === word ? typedValue(parameter, itemKind, word) : value));
  };
  const values = [...new Set(words.flatMap(resolved))];
  return { path, kind: field.kind, op: op === 'ne' ? 'notIn' : 'in', values };
}

function parseFilter(form: FormForQuery, parameter: string, fieldName: string, op: string, value: string): RecordFilter {
  const path = parsePath(parameter, fieldName);
  if (!OPS.includes(op as FilterOp)) throw invalid(parameter, `unknown operator "${op}"; use one of ${OPS.join(', ')}`);
  if (value.length > MAX_FILTER_VALUE_LENGTH) throw invalid(parameter, `the value is longer than ${MAX_FILTER_VALUE_LENGTH} characters`);
  const field = fieldAt(form, path);
  if (typeof field === 'string') throw invalid(parameter, field);
  // Personal values are stored encrypted: only an exact match, through the blind index, can find them.
  const personal = path.length === 1 ? personalFields(form.schema).get(path[0]!) : undefined;
  if (personal) {
    if (op !== 'eq') throw invalid(parameter, `field "${fieldName}" holds personal data (stored encrypted): only an exact match (eq) is possible`);
    return { path, kind: 'text', op: 'blindIndex', values: blindIndexes(personal, value) };
  }
  if (!OPS_BY_KIND[field.kind].includes(op as FilterOp)) {
    throw invalid(parameter, `operator "${op}" does not apply to a ${field.kind === 'choices' ? 'multiple-choice' : field.kind} field`);
  }
  const words = op === 'in' ? value.split(',') : [value];
  if (words.length > MAX_IN_VALUES) throw invalid(parameter, `at most ${MAX_IN_VALUES} values`);
  const choice = choiceFilter(parameter, path, field, op as FilterOp, words);
  if (choice) return choice;
  if (op === 'contains') return { path, kind: field.kind === 'date' ? 'text' : field.kind, op, values: [value] };
  return { path, kind: field.kind, op: op as FilterOp, values: words.map((v) => typedValue(parameter, field.kind, v)) };
}

function parseSort(form: FormForQuery, value: string): RecordSort[] {
  const items = value.split(',');
  if (items.length > MAX_SORT_KEYS) throw invalid('sort', `at most ${MAX_SORT_KEYS} sort keys`);
  return items.map((item) => {
    const descending = item.startsWith('-');
    const name = descending ? item.slice(1) : item;
    if (name === 'createdAt' || name === 'updatedAt') return { column: name, descending };
    // `data.amount` and plain `amount` both name a field (`data.` reaches a field called createdAt).
    const fieldName = name.startsWith('data.') ? name.slice('data.'.length) : name;
    if (!fieldName) throw invalid('sort', `cannot sort by "${item}"; use createdAt, updatedAt or a field name, "-" for descending`);
    const path = parsePath('sort', fieldName);
    const field = fieldAt(form, path);
    if (typeof field === 'string') throw invalid('sort', `${field}; sort by createdAt, updatedAt or a field name, "-" for descending`);
    if (field.kind === 'choices') throw invalid('sort', `field "${fieldName}" holds several choices and cannot be sorted on`);
    if (path.length === 1 && personalFields(form.schema).has(path[0]!)) {
      throw invalid('sort', `field "${fieldName}" holds personal data (stored encrypted) and cannot be sorted on`);
    }
    return { path, kind: field.kind, descending };
  });
}

function parsePositive(parameter: string, value: string, max?: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw invalid(parameter, `"${value}" is not a whole number ≥ 1`);
  const number = Number(value);
  if (max !== undefined && number > max) throw invalid(parameter, `must be at most ${max}`);
  return number;
}

/** What the parser reads of the form: its latest schema and uiSchema (for option labels). */
export interface FormForQuery {
  schema: Schema;
  uiSchema?: Schema;
}

/**
 * `params` are the raw query-string pairs (read from the URL, so the result does not depend
 * on express's query parser); `form` is the latest version of the form.
 */
export function parseRecordQuery(params: Iterable<[string, string]>, form: FormForQuery): RecordQuery {
  const query: RecordQuery = { filters: [], sort: [{ column: 'createdAt', descending: true }], page: 1, pageSize: DEFAULT_PAGE_SIZE };
  const seen = new Set<string>();
  for (const [parameter, value] of params) {
    const filter = /^filter\[([^\]]*)\](?:\[([^\]]*)\])?$/.exec(parameter);
    if (filter) {
      if (query.filters.length >= MAX_FILTERS) throw invalid(parameter, `at most ${MAX_FILTERS} filters`);
      query.filters.push(parseFilter(form, parameter, filter[1], filter[2] ?? 'eq', value));
      continue;
    }
    if (seen.has(parameter)) throw invalid(parameter, 'given more than once');
    seen.add(parameter);
    if (parameter === 'sort') query.sort = parseSort(form, value);
    else if (parameter === 'page') query.page = parsePositive(parameter, value);
    else if (parameter === 'pageSize') query.pageSize = parsePositive(parameter, value, MAX_PAGE_SIZE);
    else throw invalid(parameter, 'unknown parameter; use filter[field][op], sort, page, pageSize');
  }
  return query;
}
