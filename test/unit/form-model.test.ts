/**
 * The designer's form model (designer/src/forms/model): every field type round-trips
 * designer → stored schema → designer, and what it stores is what the SERVER's validator
 * (engine/forms/validator.ts, Ajv2020 strict) compiles and enforces — including "required
 * while visible" rules encoded as if/then.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../engine/errors.ts';
import { assertValid, compileSchema } from '../../engine/forms/validator.ts';
import { createField, PALETTE, type DesignField, type DesignForm } from '../../designer/src/forms/model/fieldTypes.ts';
import { applyFormulas, checkFormula } from '../../designer/src/forms/model/formula.ts';
import { fromJsonSchema } from '../../designer/src/forms/model/fromJsonSchema.ts';
import { toJsonSchema } from '../../designer/src/forms/model/toJsonSchema.ts';
import { ruleHolds } from '../../designer/src/forms/model/visibility.ts';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function details(schema: Record<string, unknown>, data: unknown): { pointer: string; message: string }[] {
  try {
    assertValid(compileSchema(schema), data, 'en');
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.details ?? [];
    throw error;
  }
}

/** A form with one field of every palette type (and a sub-form with the column types). */
function everyTypeForm(): DesignForm {
  const fields: DesignField[] = [];
  for (const entry of PALETTE) fields.push(createField(entry.type, fields.map((f) => f.key)));
  const byType = (type: string) => fields.find((f) => f.type === type)!;
  byType('text').required = true;
  byType('text').label = { 'zh-CN': '名称', en: 'Name' };
  byType('text').help = { 'zh-CN': '客户全称', en: '' };
  byType('number').minimum = 1;
  byType('number').maximum = 10;
  byType('number').integer = true;
  byType('money').required = true;
  byType('select').required = true;
  byType('lookup').lookup = { form: 'customer_profile', field: 'name' };
  byType('formula').formula = 'number_1 * money_1';
  const subform = byType('subform');
  subform.required = true;
  subform.columns = [
    { ...createField('text', []), key: 'item', required: true },
    { ...createField('number', []), key: 'qty', minimum: 1, required: true },
    { ...createField('money', []), key: 'price' },
    { ...createField('date', []), key: 'due' },
    { ...createField('select', []), key: 'unit' },
  ];
  const textarea = byType('textarea');
  textarea.visibleWhen = { field: 'select_1', op: 'eq', value: 'option2' };
  textarea.required = true;
  return { key: 'every_type', title: { 'zh-CN': '全部字段', en: 'Every type' }, fields };
}

const goodRecord = {
  text_1: 'ACME',
  number_1: 3,
  money_1: 12.5,
  date_1: '2025-03-01',
  datetime_1: '2025-03-01T08:30:00.000Z',
  select_1: 'option1',
  multiselect_1: ['option1', 'option3'],
  radio_1: 'option2',
  checkbox_1: ['option2'],
  member_1: 'zhangsan',
  department_1: 'sales',
  attachment_1: [{ name: 'a.txt', type: 'text/plain', size: 3, dataUrl: 'data:text/plain;base64,YWJj' }],
  image_1: [{ name: 'p.png', type: 'image/png', size: 8, dataUrl: PNG }],
  signature_1: PNG,
  address_1: { province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 1 号' },
  subform_1: [{ item: 'bolt', qty: 2, price: 1.5, due: '2025-04-01', unit: 'option1' }],
  lookup_1: 'ACME Corp',
  formula_1: 37.5,
};

describe('form model', () => {
  it('offers every field type the brief lists', () => {
    expect(PALETTE.map((p) => p.type)).toEqual([
      'text', 'textarea', 'number', 'money', 'date', 'datetime', 'select', 'multiselect', 'radio', 'checkbox',
      'member', 'department', 'attachment', 'image', 'signature', 'address', 'serial', 'subform', 'lookup', 'formula',
      'divider', 'description',
    ]);
  });

  it('round-trips every field type losslessly', () => {
    const form = everyTypeForm();
    const stored = toJsonSchema(form);
    const back = fromJsonSchema(stored.key, stored.title, stored.schema, stored.uiSchema);
    expect(back.fields.map((f) => f.type)).toEqual(form.fields.map((f) => f.type)); // nothing fell back to raw
    expect(back).toEqual(JSON.parse(JSON.stringify(form)));
    // and the stored JSON is stable through a second trip (what publishing twice would store)
    expect(toJsonSchema(back)).toEqual(stored);
  });

  it('stores layout items in the uiSchema only', () => {
    const stored = toJsonSchema(everyTypeForm());
    expect(Object.keys(stored.schema.properties)).not.toContain('divider_1');
    expect(stored.uiSchema['x-layout']).toEqual([
      { id: 'divider_1', kind: 'divider' },
      { id: 'description_1', kind: 'description', text: { 'zh-CN': '请在此填写说明', en: 'Write a note here' } },
    ]);
    expect(stored.uiSchema['ui:order']).not.toContain('divider_1');
  });

  it('compiles with the server validator and accepts a good record', () => {
    const { schema } = toJsonSchema(everyTypeForm());
    expect(details(schema, goodRecord)).toEqual([]);
  });

  it('rejects bad records with pointers at the fields', () => {
    const { schema } = toJsonSchema(everyTypeForm());
    const bad = {
      ...goodRecord,
      text_1: undefined,
      number_1: 11,
      date_1: '2025-13-45',
      select_1: 'nope',
      subform_1: [{ item: 'bolt', qty: 0 }],
      signature_1: 'data:text/html;base64,PHA+',
      image_1: [{ name: 'big.png', type: 'image/png', size: 10_000_000, dataUrl: PNG }],
    };
    delete (bad as Record<string, unknown>).text_1;
    const pointers = details(schema, bad).map((d) => d.pointer).sort();
    expect(pointers).toEqual(['/date_1', '/image_1/0/size', '/number_1', '/select_1', '/signature_1', '/subform_1/0/qty', '/text_1']);
    expect(details(schema, { ...goodRecord, subform_1: [] }).map((d) => d.pointer)).toEqual(['/subform_1']);
    expect(details(schema, { ...goodRecord, extra: 1 }).map((d) => d.pointer)).toEqual(['/extra']);
  });

  it('enforces "required while visible" on the server with if/then', () => {
    const { schema } = toJsonSchema(everyTypeForm());
    expect(schema.required).not.toContain('textarea_1');
    // hidden (select_1 ≠ option2): not required
    expect(details(schema, goodRecord)).toEqual([]);
    // shown: required
    expect(details(schema, { ...goodRecord, select_1: 'option2' })).toEqual([{ pointer: '/textarea_1', message: '"textarea_1" is required' }]);
    expect(details(schema, { ...goodRecord, select_1: 'option2', textarea_1: 'why' })).toEqual([]);
  });

  it.each([
    ['eq', 'option2', { s: 'option2' }, { s: 'option1' }],
    ['ne', 'option2', { s: 'option1' }, { s: 'option2' }],
    ['gt', 5, { n: 6 }, { n: 5 }],
    ['lte', 5, { n: 5 }, { n: 6 }],
    ['contains', 'option3', { m: ['option3'] }, { m: ['option1'] }],
    ['notEmpty', undefined, { t: 'x' }, {}],
    ['empty', undefined, {}, { t: 'x' }],
  ] as const)('rule %s agrees between browser and server', (op, value, shown, hidden) => {
    const field = { s: 'select', n: 'number', m: 'multiselect', t: 'text' } as const;
    const source = Object.keys(shown).concat(Object.keys(hidden))[0] as keyof typeof field;
    const fields: DesignField[] = [
      { ...createField(field[source], []), key: source },
      { ...createField('text', []), key: 'target', required: true, visibleWhen: { field: source, op, value } },
    ];
    const { schema } = toJsonSchema({ key: 'rules', title: { 'zh-CN': '规则', en: '' }, fields });
    const rule = fields[1].visibleWhen!;
    expect(ruleHolds(rule, shown)).toBe(true);
    expect(ruleHolds(rule, hidden)).toBe(false);
    expect(details(schema, shown).map((d) => d.pointer)).toEqual(['/target']);
    expect(details(schema, hidden)).toEqual([]);
  });

  it('computes formulas with FEEL and reports syntax errors', () => {
    const { schema } = toJsonSchema(everyTypeForm());
    expect(applyFormulas(schema, { number_1: 3, money_1: 2.5 }).formula_1).toBe(7.5);
    expect(applyFormulas(schema, { number_1: 3 }).formula_1).toBeUndefined();
    expect(checkFormula('price * quantity')).toBeNull();
    expect(checkFormula('price * (quantity')).toMatch(/unexpected/);
  });

  it('loads the template forms and stores them back unchanged', () => {
    for (const name of ['complaint', 'contract', 'customer_profile', 'revisit_plan', 'satisfaction_survey', 'visit_record']) {
      const stored = JSON.parse(readFileSync(`templates/key-account/forms/${name}.json`, 'utf8'));
      const form = fromJsonSchema(stored.key, stored.title, stored.schema, stored.uiSchema);
      const again = toJsonSchema(form);
      const { additionalProperties: _a, required: _r, ...schemaRest } = again.schema;
      expect(again.schema.properties).toEqual(stored.schema.properties);
      expect(new Set(again.schema.required)).toEqual(new Set(stored.schema.required));
      expect(schemaRest.description).toEqual(stored.schema.description);
      for (const key of Object.keys(stored.schema.properties)) expect(again.uiSchema[key]).toEqual(stored.uiSchema[key] ?? {});
      expect(() => compileSchema(again.schema)).not.toThrow();
    }
  });
});
