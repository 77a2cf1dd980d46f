/**
 * The one reader of a choice field's options (select, radio, checkbox) as people read them:
 * each stored value with its labels in every language the form carries. Labels come from the
 * uiSchema's `ui:enumNames` (a list of texts or of `{ "zh-CN", en }`, or
 * `{ "zh-CN": [...], en: [...] }` as the form designer writes it) or from enum titles in the
 * schema (`oneOf: [{ const, title }]`). The record list's filters (query.ts), the condition
 * checks (conditionFields.ts) and the inbox summary (inbox/summary.ts) all read options here,
 * so a label that one of them understands the others understand too.
 */

type Json = Record<string, any>;

export interface FieldOption {
  value: string | number | boolean;
  /** Every label of the value (zh-CN, en, …); may be empty. */
  labels: string[];
  /** The label per language the form names; `''` holds a label given for no language in particular. */
  byLocale: Record<string, string>;
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

/** Label lists with the language they are in (`''`: none named); `ui:enumNames` as a plain list is one such list. */
function labelLists(schema: Json, ui: Json | undefined): { locale: string; list: unknown[] }[] {
  const lists: { locale: string; list: unknown[] }[] = [];
  for (const names of [ui?.['ui:enumNames'], ui?.items?.['ui:enumNames']]) {
    if (Array.isArray(names)) lists.push({ locale: '', list: names });
    else if (names && typeof names === 'object') {
      for (const [locale, list] of Object.entries(names)) if (Array.isArray(list)) lists.push({ locale, list });
    }
  }
  const titled = Array.isArray(schema.oneOf) ? schema.oneOf : schema.items?.oneOf;
  if (Array.isArray(titled)) lists.push({ locale: '', list: titled.map((branch: Json) => branch?.title) });
  return lists;
}

/** One list entry as `[locale, label]` pairs: a text is the list's language, `{ "zh-CN", en }` names its own. */
function entryLabels(entry: unknown, locale: string): [string, string][] {
  const pairs: [string, unknown][] = entry && typeof entry === 'object' && !Array.isArray(entry) ? Object.entries(entry) : [[locale, entry]];
  return pairs.filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== '');
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
      const byLocale: Record<string, string> = {};
      const labels: string[] = [];
      for (const { locale, list } of lists) {
        for (const [language, label] of entryLabels(list[index], locale)) {
          byLocale[language] ??= label;
          labels.push(label);
        }
      }
      return { value, labels: [...new Set(labels)], byLocale };
    });
}

/** The option's labels with the language's first (then the rest), for messages that show one. */
export function labelsIn(option: FieldOption, locale: string): string[] {
  const first = option.byLocale[locale];
  return first === undefined ? option.labels : [first, ...option.labels.filter((label) => label !== first)];
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
