/**
 * At deploy, in the deploy's transaction: the form a `liuzhuan:publicLink` shows must exist,
 * as a flow form's must (forms/flowForms.ts) — a link to no form would only fail when the
 * customer opens it. 422 naming each task.
 */
import type { CompiledProcess } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { ValidationError, type ErrorDetail } from '../errors.ts';
import { latestVersionOf } from '../store/forms.ts';
import { publicLinkNodes } from './settings.ts';

export async function assertPublicLinkFormsExist(db: Db, processes: CompiledProcess[]): Promise<void> {
  const details: ErrorDetail[] = [];
  for (const process of processes) {
    for (const { node, settings } of publicLinkNodes(Object.values(process.nodes))) {
      if ((await latestVersionOf(db, settings.form)) !== undefined) continue;
      details.push({
        pointer: node.id,
        message: `'${node.id}' creates a public link to form '${settings.form}', which does not exist (create the form first)`,
        code: 'public_link_form_missing',
        params: { form: settings.form },
      });
    }
  }
  if (details.length > 0) throw new ValidationError('The BPMN model cannot be deployed', details, 'invalid_bpmn');
}
