/**
 * The options of a choice field (select, radio, checkbox) as people read them: each stored
 * value with its labels in every language the form carries. Labels come from the uiSchema's
 * `ui:enumNames` (a list, or `{ "zh-CN": [...], en: [...] }` as the form designer writes it)
 * or from enum titles in the schema (`oneOf: [{ const, title }]`). The record list uses them so
 * that a filter written with what the user sees (投诉类别 = 账单) finds what is stored
 * (`billing`).
 */

type Json = Record<string, any>;

export interface FieldOption {
  value: string | number | boolean;
  /** Every label of the value (zh-CN, en, …); may be empty. */
  labels: string[];
}

/** The enum values of a choice field (the item enum for a checkbox group), or undefined. */
function enumValues(schema: Json): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if (schema.type === 'array' && Array.isArray(schema.items?.enum)) return schema.items.enum;
  const titled = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.items?.oneOf) ? schema.items.oneOf : undefined;
  if (titled?.every((branch: unknown) => branch && typeof branch === 'object' && 'const' in (branch as Json))) {
    return titled.map((branch: Json) => branch.const);
  }
  return undefined;
}

/** Label lists by language: `ui:enumNames` as a plain list counts as one language. */
function labelLists(schema: Json, ui: Json | undefined): unknown[][] {
  const lists: unknown[][] = [];
  for (const names of [ui?.['ui:enumNames'], ui?.items?.['ui:enumNames']]) {
    if (Array.isArray(names)) lists.push(names);
    else if (names && typeof names === 'object') for (const list of Object.values(names)) if (Array.isArray(list)) lists.push(list);
  }
  const titled = Array.isArray(schema.oneOf) ? schema.oneOf : schema.items?.oneOf;
  if (Array.isArray(titled)) lists.push(titled.map((branch: Json) => branch?.title));
  return lists;
}

/** The options of the field, or undefined when it is not a choice field. */
export function fieldOptions(schema: Json | undefined, ui: Json | undefined): FieldOption[] | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const values = enumValues(schema);
  if (!values) return undefined;
  const lists = labelLists(schema, ui);
  return values
    .filter((value): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value))
    .map((value) => {
      const index = values.indexOf(value);
      const labels = lists.map((list) => list[index]).filter((label): label is string => typeof label === 'string' && label !== '');
      return { value, labels: [...new Set(labels)] };
    });
}

const normalised = (text: string) => text.trim().toLocaleLowerCase();

/** The stored values a user's word means: the value itself and every option it names by value or label. */
export function valuesNamed(options: FieldOption[], word: string): (string | number | boolean)[] {
  const wanted = normalised(word);
  const named = options
    .filter((option) => normalised(String(option.value)) === wanted || option.labels.some((label) => normalised(label) === wanted))
    .map((option) => option.value);
  return named.length ? named : [word];
}

/** The stored values whose value or any label contains the text (case-insensitive). */
export function valuesContaining(options: FieldOption[], text: string): (string | number | boolean)[] {
  const wanted = normalised(text);
  return options
    .filter((option) => normalised(String(option.value)).includes(wanted) || option.labels.some((label) => normalised(label).includes(wanted)))
    .map((option) => option.value);
}
