/**
 * Checks the data a task is completed with against the task's form. The record travels
 * through the process as the instance's variables, so the form is checked against the
 * instance's data merged with what is submitted now, restricted to the fields the form
 * defines (other variables, such as a decision flag, pass through untouched).
 * A form key that names no stored form (e.g. a Camunda embedded form) checks nothing.
 */
import type { TaskDataValidator } from '../commands/completeTask.ts';
import { NotFoundError } from '../errors.ts';
import { compiledForm } from './compiled.ts';
import type { MessageLocale } from './messages.ts';
import { assertValidData } from './validator.ts';

export function createTaskDataValidator(): TaskDataValidator {
  // `trx` is the completing command's transaction: reading the form through the pool instead
  // would wait for a second connection while holding one (a deadlock under load).
  return async (trx, formKey, merged, locale, version) => {
    if (!formKey) return;
    let form;
    try {
      form = await compiledForm(trx, formKey, version);
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const properties = (form.schema.properties ?? {}) as Record<string, unknown>;
    const data = Object.fromEntries(Object.entries(merged).filter(([name]) => name in properties));
    await assertValidData(form.errorsOf, data, (locale === 'en' ? 'en' : 'zh-CN') as MessageLocale);
  };
}
