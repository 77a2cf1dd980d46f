/**
 * What the start pages call a flow form and its process in the chosen language. The form's
 * title is stored per language (uiSchema `ui:title`, served as `titles`). A BPMN process has one
 * `name`, written in whatever language the admin used: an English page shows it only when it
 * has no Chinese characters, else the process key — never a Chinese title on an English page.
 */
import { pickText, type Locale } from '../i18n/i18n.tsx';
import type { FlowForm } from './flowForms.ts';

const HAN = /\p{Script=Han}/u;

export function formTitle(form: Pick<FlowForm, 'formKey' | 'title'> & { titles?: FlowForm['titles'] }, locale: Locale): string {
  return pickText(form.titles ?? form.title, locale, form.formKey);
}

export function processName(form: Pick<FlowForm, 'definitionName' | 'definitionKey'>, locale: Locale): string {
  const name = form.definitionName ?? '';
  if (!name) return form.definitionKey;
  return locale === 'en' && HAN.test(name) ? form.definitionKey : name;
}
