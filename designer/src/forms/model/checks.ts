/** What must be fixed before publishing (pure): duplicate/bad keys, empty options, broken formulas… */
import { FIELD_KEY_PATTERN, LAYOUT_TYPES, OPTION_TYPES, type DesignField, type DesignForm } from './fieldTypes.ts';
import { checkFormula } from './formula.ts';

export const FORM_KEY_PATTERN = /^[a-z][a-z0-9_-]{1,63}$/;

export interface Problem {
  /** The field to highlight; absent for form-level problems. */
  key?: string;
  code: 'dupKey' | 'badKey' | 'noTitle' | 'badFormKey' | 'noOptions' | 'noLookup' | 'badFormula' | 'noColumns' | 'badRule';
  params: Record<string, string>;
}

function checkFields(fields: DesignField[], problems: Problem[], owner?: DesignField): void {
  const seen = new Set<string>();
  const keys = new Set(fields.filter((f) => !LAYOUT_TYPES.includes(f.type)).map((f) => f.key));
  for (const field of fields) {
    const key = owner?.key ?? field.key;
    const label = field.label['zh-CN'] || field.label.en || field.key;
    const add = (code: Problem['code'], extra: Record<string, string> = {}) => problems.push({ key, code, params: { key: field.key, label, ...extra } });
    if (seen.has(field.key)) add('dupKey');
    seen.add(field.key);
    if (LAYOUT_TYPES.includes(field.type)) continue;
    if (!FIELD_KEY_PATTERN.test(field.key)) add('badKey');
    if (OPTION_TYPES.includes(field.type)) {
      const values = (field.options ?? []).map((o) => o.value);
      if (!values.length || values.some((v) => !v) || new Set(values).size !== values.length) add('noOptions');
    }
    if (field.type === 'lookup' && (!field.lookup?.form || !field.lookup.field)) add('noLookup');
    if (field.type === 'formula') {
      const error = checkFormula(field.formula ?? '');
      if (error) add('badFormula', { error });
    }
    if (field.type === 'subform') {
      if (!field.columns?.length) add('noColumns');
      else checkFields(field.columns, problems, field);
    }
    if (field.visibleWhen && !keys.has(field.visibleWhen.field)) add('badRule');
  }
}

export function checkForm(form: DesignForm): Problem[] {
  const problems: Problem[] = [];
  if (!form.title['zh-CN'].trim() && !form.title.en.trim()) problems.push({ code: 'noTitle', params: {} });
  if (!FORM_KEY_PATTERN.test(form.key)) problems.push({ code: 'badFormKey', params: {} });
  checkFields(form.fields, problems);
  return problems;
}
