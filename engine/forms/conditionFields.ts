/**
 * A form's fields as conditions see them (engine/expressions/fieldConditions.ts): each field's
 * name and labels, and for a select or radio field the values it can hold with their labels.
 * Read from the stored JSON Schema and uiSchema (`ui:title`); the options and their labels
 * come from the one reader of them, optionLabels.ts, that the record filters use too.
 */
import type { ConditionField, ConditionLocale } from '../expressions/fieldConditions.ts';
import type { Db } from '../db/connection.ts';
import { getFormVersion } from '../store/forms.ts';
import { fieldOptions, labelsIn } from './optionLabels.ts';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

/** The texts of a localized text, the locale's first; a plain string is every locale's. */
function localized(value: unknown, locale: ConditionLocale): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  const texts = asObject(value);
  const other = locale === 'en' ? 'zh-CN' : 'en';
  return [texts[locale], texts[other]].filter((text): text is string => typeof text === 'string' && text !== '');
}

/** The fields in form order: `ui:order` first (stored JSONB does not keep the schema's key order), then the rest. */
function inFormOrder(properties: Json, uiSchema: Json): [string, unknown][] {
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as unknown[]) : [];
  const rank = (name: string) => {
    const at = order.indexOf(name);
    return at < 0 ? order.length : at;
  };
  return Object.entries(properties).sort(([a], [b]) => rank(a) - rank(b));
}

export function conditionFieldsOf(schema: Json, uiSchema: Json, locale: ConditionLocale): ConditionField[] {
  return inFormOrder(asObject(schema.properties), uiSchema).map(([name, raw]) => {
    const property = asObject(raw);
    const ui = asObject(uiSchema[name]);
    const field: ConditionField = { name, labels: [...localized(ui['ui:title'], locale), ...localized(property.title, locale)] };
    // Only a single-valued choice: an array field (multiselect, checkboxes) holds lists, not one value.
    const options = property.type === 'array' ? undefined : fieldOptions(property, ui);
    if (options) field.options = options.map((option) => ({ value: option.value, labels: labelsIn(option, locale) }));
    return field;
  });
}

/** The latest version's fields of `formKey`; undefined when there is no such form. */
export async function formConditionFields(db: Db, formKey: string, locale: ConditionLocale): Promise<ConditionField[] | undefined> {
  const form = await getFormVersion(db, formKey);
  return form ? conditionFieldsOf(form.schema, form.uiSchema ?? {}, locale) : undefined;
}
