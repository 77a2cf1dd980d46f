/**
 * The designer side of 数据权限 and 个人信息 (pure): a permission group's record filter goes from
 * the condition builder's rows to the JSON the server compiles (typed values, `in` as a list,
 * `$me` / `$myDepartments` kept as tokens) and back; the 个人信息 marker round-trips through the
 * form model as `x-personal` and the server's validator accepts it.
 */
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../engine/forms/validator.ts';
import { filterRuleProblem, fromApiFilter, toApiFilter, type FilterFieldKind } from '../../designer/src/access/filterModel.ts';
import { createField, type DesignForm } from '../../designer/src/forms/model/fieldTypes.ts';
import { fromJsonSchema } from '../../designer/src/forms/model/fromJsonSchema.ts';
import { toJsonSchema } from '../../designer/src/forms/model/toJsonSchema.ts';

/** The kinds the builder knows of a form's fields (filterFields.ts adds titles and choices). */
const fields: FilterFieldKind[] = [
  { name: 'owner', kind: 'string' },
  { name: 'tier', kind: 'string' },
  { name: 'revenue', kind: 'number' },
  { name: '$creator', kind: 'string' },
  { name: '$ownerDepartment', kind: 'string' },
];

describe('a permission group filter in the builder', () => {
  it('writes typed JSON rules and reads them back as rows', () => {
    const rows = {
      join: 'or' as const,
      rules: [
        { field: 'owner', operator: '=' as const, value: '$me' },
        { field: 'revenue', operator: '>=' as const, value: '1000000' },
        { field: 'tier', operator: 'in' as const, value: 'A, B' },
        { field: '$ownerDepartment', operator: 'in' as const, value: '$myDepartments' },
        { field: 'tier', operator: 'notEmpty' as const, value: '' },
      ],
    };
    const filter = toApiFilter(rows, fields);
    expect(filter).toEqual({
      join: 'or',
      rules: [
        { field: 'owner', operator: '=', value: '$me' },
        { field: 'revenue', operator: '>=', value: 1000000 },
        { field: 'tier', operator: 'in', value: ['A', 'B'] },
        { field: '$ownerDepartment', operator: 'in', value: '$myDepartments' },
        { field: 'tier', operator: 'notEmpty' },
      ],
    });
    expect(toApiFilter(fromApiFilter(filter), fields)).toEqual(filter);
    expect(toApiFilter({ join: 'and', rules: [] }, fields)).toBeNull();
    expect(fromApiFilter(null)).toEqual({ join: 'and', rules: [] });
  });

  it('marks an incomplete row, also on the $ fields', () => {
    expect(filterRuleProblem({ field: '$creator', operator: '=', value: '' }, 'string')).toBe('value');
    expect(filterRuleProblem({ field: '$creator', operator: '=', value: '$me' }, 'string')).toBeNull();
    expect(filterRuleProblem({ field: 'revenue', operator: '>', value: 'lots' }, 'number')).toBe('number');
    expect(filterRuleProblem({ field: '', operator: '=', value: 'A' }, undefined)).toBe('field');
  });
});

describe('the 个人信息 marker', () => {
  it('is stored as x-personal, read back, and accepted by the server validator', () => {
    const phone = { ...createField('text', []), key: 'phone', personal: 'phone' as const };
    const design: DesignForm = { key: 'people', title: { 'zh-CN': '人员', en: '' }, fields: [phone] };
    const stored = toJsonSchema(design);
    expect(stored.schema.properties.phone['x-personal']).toBe('phone');
    const read = fromJsonSchema(stored.key, stored.title, stored.schema, stored.uiSchema);
    expect(read.fields[0]).toMatchObject({ key: 'phone', type: 'text', personal: 'phone' });
    expect(() => compileSchema(stored.schema)).not.toThrow();
    // An unknown kind is not the designer's: the field stays verbatim.
    const odd = fromJsonSchema('x', 'x', { type: 'object', properties: { a: { type: 'string', 'x-personal': 'shoeSize' } } }, {});
    expect(odd.fields[0]!.type).toBe('raw');
  });
});
