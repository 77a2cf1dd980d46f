/**
 * Fields whose value the server decides, whatever the browser sent:
 * - formula (`"x-formula": "price * quantity"`): a FEEL expression over the record's other
 *   fields — inside a sub-form row, over the row's fields first, then the record's. The
 *   designer computes the same value live for display; the stored one is always this one.
 * - serial number 流水号 (`"x-serial": {prefix, digits, date}`): on create only, the next
 *   value of a per-form, per-field counter taken in the record's own transaction, so two
 *   records never share one and a rolled-back create does not leave a gap in committed data
 *   (the counter row is locked until commit). On replace, the stored value is kept.
 */
import type { Knex } from 'knex';
import { ValidationError } from '../errors.ts';
import { EXPRESSION_BUDGET_EXCEEDED, ExpressionError } from '../expressions/errors.ts';
import { evaluateFeel } from '../expressions/feelEval.ts';
import { SequenceBudgetExceeded, withSequenceBudget, type Sequence } from '../expressions/sequenceBudget.ts';

type Json = Record<string, unknown>;
type SchemaNode = { type?: unknown; properties?: Record<string, SchemaNode>; items?: SchemaNode; 'x-formula'?: unknown; 'x-serial'?: unknown };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function propertiesOf(schema: unknown): Record<string, SchemaNode> {
  return isObject(schema) && isObject(schema.properties) ? (schema.properties as Record<string, SchemaNode>) : {};
}

/** A formula result shaped for its field: numbers are rounded to 1e-9 to hide float noise. */
function coerce(value: unknown, field: SchemaNode): unknown {
  if (value === null || value === undefined) return undefined;
  const type = field.type;
  if (type === 'number' || type === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    return type === 'integer' ? Math.round(value) : Math.round(value * 1e9) / 1e9;
  }
  if (type === 'string') return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  if (type === 'boolean') return typeof value === 'boolean' ? value : undefined;
  return value;
}

async function computeLevel(sequence: Sequence, properties: Record<string, SchemaNode>, values: Json, scope: Json, pointer: string): Promise<Json> {
  const result: Json = { ...values };
  for (const [name, field] of Object.entries(properties)) {
    const items = field.items;
    if (field.type === 'array' && isObject(items) && Array.isArray(result[name])) {
      const rowProperties = propertiesOf(items);
      const rows: unknown[] = [];
      // One row after another: the rows' formulas are one series with the record's.
      for (const [index, row] of (result[name] as unknown[]).entries()) {
        rows.push(isObject(row) ? await computeLevel(sequence, rowProperties, row, { ...scope, ...row }, `${pointer}/${name}/${index}`) : row);
      }
      result[name] = rows;
    }
  }
  for (const [name, field] of Object.entries(properties)) {
    const formula = field['x-formula'];
    if (typeof formula !== 'string') continue;
    let value: unknown;
    try {
      value = coerce(await sequence.evaluate(`${pointer}/${name}`, () => evaluateFeel(formula, { ...scope, ...result })), field);
    } catch (error) {
      // The record's formulas together ran out of time: the save is refused (sequenceBudget.ts).
      if (error instanceof SequenceBudgetExceeded) throw error;
      // A formula stopped by its budget refuses the save: leaving it empty would hide that.
      if (error instanceof ExpressionError && error.code === EXPRESSION_BUDGET_EXCEEDED) {
        throw new ValidationError(`The formula of field ${pointer}/${name} was stopped: ${error.message}`, [
          { pointer: `${pointer}/${name}`, message: error.reason },
        ], EXPRESSION_BUDGET_EXCEEDED);
      }
      // An incomplete record (a missing operand) leaves the formula empty, as in the designer.
      value = undefined;
    }
    if (value === undefined) delete result[name];
    else result[name] = value;
  }
  return result;
}

/**
 * The record with every formula field (top level and in sub-form rows) recomputed. All of a
 * record's formulas share one time budget and let other requests run between them
 * (expressions/sequenceBudget.ts); past it the save is refused with a 422 naming the field
 * reached. `formKey` names the form in that refusal.
 */
export async function applyFormulas(schema: unknown, data: unknown, formKey?: string): Promise<unknown> {
  if (!isObject(data)) return data;
  const properties = propertiesOf(schema);
  if (!JSON.stringify(properties).includes('"x-formula"')) return data;
  const what = formKey === undefined ? 'The formulas of the form' : `The formulas of form "${formKey}"`;
  return withSequenceBudget(what, (sequence) => computeLevel(sequence, properties, data, data, ''));
}

interface SerialSettings {
  prefix: string;
  digits: number;
  date: boolean;
}

function serialSettings(value: unknown): SerialSettings | null {
  if (!isObject(value)) return null;
  const digits = typeof value.digits === 'number' && value.digits >= 1 && value.digits <= 12 ? Math.floor(value.digits) : 5;
  return { prefix: typeof value.prefix === 'string' ? value.prefix : '', digits, date: value.date === true };
}

/** Top-level serial fields of a schema, with their settings. */
export function serialFields(schema: unknown): [string, SerialSettings][] {
  return Object.entries(propertiesOf(schema)).flatMap(([name, field]) => {
    const settings = serialSettings(field['x-serial']);
    return settings ? [[name, settings] as [string, SerialSettings]] : [];
  });
}

function yyyymmdd(now: Date): string {
  return now.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Fills each serial field with its next number (one upsert per field, in `trx`). */
export async function assignSerials(trx: Knex, formKey: string, schema: unknown, data: unknown, now: Date): Promise<unknown> {
  const fields = serialFields(schema);
  if (fields.length === 0 || !isObject(data)) return data;
  const result: Json = { ...data };
  for (const [field, settings] of fields) {
    const { rows } = await trx.raw<{ rows: { value: string }[] }>(
      `insert into form_serials (form_key, field, value) values (?, ?, 1)
       on conflict (form_key, field) do update set value = form_serials.value + 1
       returning value`,
      [formKey, field],
    );
    const number = String(rows[0]!.value).padStart(settings.digits, '0');
    result[field] = `${settings.prefix}${settings.date ? yyyymmdd(now) : ''}${number}`;
  }
  return result;
}

/** On replace: serial fields keep the stored values (or stay absent), whatever was sent. */
export function keepSerials(schema: unknown, stored: unknown, data: unknown): unknown {
  const fields = serialFields(schema);
  if (fields.length === 0 || !isObject(data)) return data;
  const result: Json = { ...data };
  for (const [field] of fields) {
    const previous = isObject(stored) ? stored[field] : undefined;
    if (previous === undefined) delete result[field];
    else result[field] = previous;
  }
  return result;
}
