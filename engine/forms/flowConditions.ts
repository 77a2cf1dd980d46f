/**
 * Deploy-time check of a form-bound process's branch conditions (流程表单): a flow whose FEEL
 * condition compares a select or radio field of the bound form with a value it cannot hold
 * (`category = "账单"` when the stored values are billing, quality, …) can never be taken, so
 * the deploy is refused with 422 naming the flow and listing the values the field can hold.
 *
 * It runs in the deploy transaction (commands/deployDefinition.ts, next to
 * assertBoundFormsExist) rather than as a compile listener: listeners run while the XML
 * compiles, without the database, and the form's schema lives there. Names that are not
 * fields are allowed here — a branch may read variables other nodes set — unlike routing rules.
 */
import type { CompiledProcess } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { ValidationError, type ErrorDetail } from '../errors.ts';
import { fieldConditionDetails, type ConditionLocale } from '../expressions/fieldConditions.ts';
import { formConditionFields } from './conditionFields.ts';

const FLOW_TEXT = {
  'zh-CN': (flow: string, problem: string) => `连线 ${flow} 的条件永远不会成立：${problem}`,
  en: (flow: string, problem: string) => `The condition of flow ${flow} can never hold: ${problem}`,
};

export async function assertFlowConditionsFitForms(db: Db, processes: CompiledProcess[], locale: ConditionLocale = 'en'): Promise<void> {
  const details: ErrorDetail[] = [];
  for (const process of processes) {
    if (!process.formKey) continue;
    const fields = await formConditionFields(db, process.formKey, locale);
    if (!fields) continue; // a missing form is assertBoundFormsExist's 422
    for (const flow of Object.values(process.flows)) {
      if (flow.condition?.language !== 'feel') continue;
      const named = flow.name ? `'${flow.id}' (${flow.name})` : `'${flow.id}'`;
      for (const problem of fieldConditionDetails(flow.condition.source, fields, { locale, unknownNames: false })) {
        details.push({ pointer: flow.id, message: FLOW_TEXT[locale](named, problem.message), code: problem.code, params: { ...problem.params, flowId: flow.id } });
      }
    }
  }
  if (details.length > 0) throw new ValidationError('The BPMN model cannot be deployed', details, 'invalid_bpmn');
}
