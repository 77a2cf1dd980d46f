/**
 * Imported rows, the way every record write goes: converted (convert.ts), formulas computed
 * and checked by the form's own validator (engine/forms/validator.ts, as `POST /records`
 * does), then written with their serial numbers. With automations on, each write is
 * engine/forms/records.ts's createRecord itself (which queues the form's automations) plus
 * the form's routing to a department queue, as the createRecord command does. With them off
 * (the default: an import of old data should not mail every customer again) a batch is
 * written in two statements per serial field plus one multi-row insert — the same stored
 * shape as insertRecord (personal fields encrypted by storedRecordData) — instead of two
 * round trips per row.
 */
import type { Knex } from 'knex';
import { ValidationError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { CompiledForm } from '../forms/compiled.ts';
import { applyFormulas, serialFields } from '../forms/computedFields.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { createRecord } from '../forms/records.ts';
import { assertValidData } from '../forms/validator.ts';
import type { AuthUser } from '../identity/types.ts';
import { routeRecord } from '../routing/route.ts';
import { storedRecordData } from '../store/records.ts';
import { convertRow, type ConvertContext } from './convert.ts';
import type { FieldTarget } from './fieldTargets.ts';
import type { SubRow } from './subformSheets.ts';
import type { CellValue, RowError } from './types.ts';

/** An extra sheet whose lines become rows of a sub-form (subformSheets.ts). */
export interface PlannedSheet {
  name: string;
  subform: string;
  keyColumn: number;
  mapping: (string | null)[];
  targets: Map<string, FieldTarget>;
}

export interface RowPlan {
  form: CompiledForm;
  mapping: (string | null)[];
  targets: Map<string, FieldTarget>;
  convert: ConvertContext;
  locale: MessageLocale;
  /** By position among the file's extra sheets; null: the sheet is not imported. */
  sheets: (PlannedSheet | null)[];
  /** The main sheet's key column (the join with the sheets), null without sub-form sheets. */
  keyColumn: number | null;
}

/** The sub-form values of a record from its lines, and an error per unreadable cell naming sheet and row. */
function subformData(plan: RowPlan, subRows: SubRow[]): { data: Record<string, unknown[]>; errors: RowError[]; lineOf: Map<string, SubRow[]> } {
  const data: Record<string, unknown[]> = {};
  const errors: RowError[] = [];
  const lineOf = new Map<string, SubRow[]>();
  for (const line of subRows) {
    const sheet = plan.sheets[line.sheet];
    if (!sheet) continue;
    const converted = convertRow(line.cells, sheet.mapping, sheet.targets, plan.convert);
    (data[sheet.subform] ??= []).push(converted.data);
    lineOf.set(sheet.subform, [...(lineOf.get(sheet.subform) ?? []), line]);
    for (const error of converted.errors) errors.push({ ...error, field: sheet.subform, sheet: sheet.name, row: line.rowNumber });
  }
  return { data, errors, lineOf };
}

/** The field a validator pointer (`/amount`, `/items/0/x`) concerns. */
function fieldOf(pointer: string): string | null {
  const first = pointer.split('/')[1];
  return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

/**
 * The row's data (converted, formulas computed) when valid, else every error it has. With
 * sub-form sheets, `subRows` are the lines joined to the row: the record is checked whole
 * (main cells and sub-form rows together), and an error in a sub-form row names its sheet and
 * line.
 */
export async function prepareRow(plan: RowPlan, cells: CellValue[], subRows: SubRow[] = []): Promise<{ data: Record<string, unknown> | null; errors: RowError[] }> {
  const { data, errors } = convertRow(cells, plan.mapping, plan.targets, plan.convert);
  const sub = subformData(plan, subRows);
  Object.assign(data, sub.data);
  errors.push(...sub.errors);
  const columnOf = (field: string | null) => (field === null ? null : plan.mapping.indexOf(field) >= 0 ? plan.mapping.indexOf(field) : null);
  /** A validator pointer into a sub-form row (`/items/2/qty`): that line's sheet, row and column. */
  const subLine = (pointer: string): Partial<RowError> | null => {
    const [, field, index, inner] = pointer.split('/');
    const line = field !== undefined && index !== undefined ? sub.lineOf.get(field)?.[Number(index)] : undefined;
    const sheet = line ? plan.sheets[line.sheet] : undefined;
    if (!line || !sheet) return null;
    const column = inner ? sheet.mapping.indexOf(inner) : -1;
    return { sheet: sheet.name, row: line.rowNumber, column: column >= 0 ? column : null };
  };
  let computed: unknown = data;
  try {
    computed = await applyFormulas(plan.form.schema, data, plan.form.key);
    await assertValidData(plan.form.errorsOf, computed, plan.locale);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const unreadable = new Set(errors.map((e) => (e.sheet ? `${e.sheet}:${e.row}:${e.column}` : e.field)));
    for (const detail of error.details ?? []) {
      const field = fieldOf(detail.pointer);
      const line = subLine(detail.pointer);
      // A cell that could not be read is already reported; its "required" would only repeat it.
      if (line ? unreadable.has(`${line.sheet}:${line.row}:${line.column}`) : field && unreadable.has(field)) continue;
      if (line) errors.push({ field, column: line.column ?? null, sheet: line.sheet, row: line.row, message: detail.message });
      else errors.push({ field, column: columnOf(field), message: field ? detail.message : error.message });
    }
  }
  return errors.length ? { data: null, errors } : { data: computed as Record<string, unknown>, errors };
}

interface WriteOptions {
  runAutomations: boolean;
  now: Date;
  onRuleError: (error: unknown) => void;
}

/**
 * `count` consecutive numbers of each serial field, taken in one upsert per field, formatted
 * as engine/forms/computedFields.ts's assignSerials formats one (prefix, YYYYMMDD when the
 * field asks for the date, zero-padded number).
 */
async function allocateSerials(trx: Knex, formKey: string, schema: unknown, count: number, now: Date): Promise<[string, string[]][]> {
  const allocated: [string, string[]][] = [];
  for (const [field, settings] of serialFields(schema)) {
    const { rows } = await trx.raw<{ rows: { value: string }[] }>(
      `insert into form_serials (form_key, field, value) values (?, ?, ?)
       on conflict (form_key, field) do update set value = form_serials.value + excluded.value
       returning value`,
      [formKey, field, count],
    );
    const last = Number(rows[0]!.value);
    const day = settings.date ? now.toISOString().slice(0, 10).replaceAll('-', '') : '';
    allocated.push([field, Array.from({ length: count }, (_, i) => `${settings.prefix}${day}${String(last - count + 1 + i).padStart(settings.digits, '0')}`)]);
  }
  return allocated;
}

/** Writes prepared rows in `trx`, in order; the events to publish after the commit. */
export async function writeRows(trx: Knex, plan: RowPlan, rows: Record<string, unknown>[], user: AuthUser, options: WriteOptions): Promise<DomainEvent[]> {
  if (rows.length === 0) return [];
  const formKey = plan.form.key;
  if (options.runAutomations) {
    const events: DomainEvent[] = [];
    for (const data of rows) {
      // trusted: the caller's `import` right was checked for the whole file.
      const record = await createRecord(trx, formKey, data, user, plan.locale, { trusted: true });
      events.push(...(await routeRecord(trx, record, (_rule, error) => options.onRuleError(error))));
    }
    return events;
  }
  const serials = await allocateSerials(trx, formKey, plan.form.schema, rows.length, options.now);
  const records = [];
  for (const [i, data] of rows.entries()) {
    const numbered = { ...data };
    for (const [field, values] of serials) numbered[field] = values[i];
    records.push({
      form_key: formKey,
      form_version: plan.form.version,
      data: await storedRecordData(trx, formKey, plan.form.version, numbered),
      created_by: user.id,
      updated_by: user.id,
    });
  }
  await trx('records').insert(records);
  return [];
}
