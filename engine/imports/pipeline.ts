/**
 * One imported row, the way every record write goes: converted (convert.ts), formulas
 * computed and checked by the form's own validator (engine/forms/validator.ts, as
 * `POST /records` does), then written with its serial numbers. With automations on, the write
 * is engine/forms/records.ts's createRecord itself (which queues the form's automations) plus
 * the form's routing to a department queue, as the createRecord command does; with them off
 * (the default: an import of old data should not mail every customer again), the same steps
 * minus those two.
 */
import type { Knex } from 'knex';
import { ValidationError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { CompiledForm } from '../forms/compiled.ts';
import { applyFormulas, assignSerials } from '../forms/computedFields.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { createRecord } from '../forms/records.ts';
import { assertValid } from '../forms/validator.ts';
import type { AuthUser } from '../identity/types.ts';
import { routeRecord } from '../routing/route.ts';
import { insertRecord } from '../store/records.ts';
import { convertRow, type ConvertContext } from './convert.ts';
import type { FieldTarget } from './fieldTargets.ts';
import type { CellValue, RowError } from './types.ts';

export interface RowPlan {
  form: CompiledForm;
  mapping: (string | null)[];
  targets: Map<string, FieldTarget>;
  convert: ConvertContext;
  locale: MessageLocale;
}

/** The field a validator pointer (`/amount`, `/items/0/x`) concerns. */
function fieldOf(pointer: string): string | null {
  const first = pointer.split('/')[1];
  return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

/** The row's data (converted, formulas computed) when valid, else every error it has. */
export function prepareRow(plan: RowPlan, cells: CellValue[]): { data: Record<string, unknown> | null; errors: RowError[] } {
  const { data, errors } = convertRow(cells, plan.mapping, plan.targets, plan.convert);
  const columnOf = (field: string | null) => (field === null ? null : plan.mapping.indexOf(field) >= 0 ? plan.mapping.indexOf(field) : null);
  let computed: unknown = data;
  try {
    computed = applyFormulas(plan.form.schema, data);
    assertValid(plan.form.validate, computed, plan.locale);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const unreadable = new Set(errors.map((e) => e.field));
    for (const detail of error.details ?? []) {
      const field = fieldOf(detail.pointer);
      // A cell that could not be read is already reported; its "required" would only repeat it.
      if (field && unreadable.has(field)) continue;
      errors.push({ field, column: columnOf(field), message: field ? detail.message : error.message });
    }
  }
  return errors.length ? { data: null, errors } : { data: computed as Record<string, unknown>, errors };
}

/** Writes a prepared row in `trx`; the events to publish after the commit. */
export async function insertRow(
  trx: Knex,
  plan: RowPlan,
  data: Record<string, unknown>,
  user: AuthUser,
  options: { runAutomations: boolean; now: Date; onRuleError: (error: unknown) => void },
): Promise<DomainEvent[]> {
  const formKey = plan.form.key;
  if (options.runAutomations) {
    // trusted: the caller's `import` right was checked for the whole file.
    const record = await createRecord(trx, formKey, data, user, plan.locale, { trusted: true });
    return routeRecord(trx, record, (_rule, error) => options.onRuleError(error));
  }
  const numbered = await assignSerials(trx, formKey, plan.form.schema, data, options.now);
  await insertRecord(trx, { formKey, formVersion: plan.form.version, data: numbered, createdBy: user.id });
  return [];
}
