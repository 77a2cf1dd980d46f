/** The permission-group filter compiler (engine/access/filter.ts): values and field names only ever as bindings. */
import { describe, expect, it } from 'vitest';
import { compileFilter, compileRule, type FilterContext } from '../../engine/access/filter.ts';
import { topLevelFields } from '../../engine/access/schemaFields.ts';

const schema = {
  type: 'object',
  properties: {
    owner: { type: 'string' },
    tier: { type: 'string', enum: ['A', 'B', 'C'] },
    amount: { type: 'number' },
    signed_on: { type: 'string', format: 'date' },
    tags: { type: 'array', items: { type: 'string' } },
    vip: { type: 'boolean' },
  },
};
const ctx: FilterContext = { username: 'zhangsan', departmentIds: ['d-1', 'd-2'], fields: topLevelFields(schema), ownerField: 'owner' };

function placeholders(sql: string): number {
  return (sql.match(/\?/g) ?? []).length;
}

describe('permission filter compiler', () => {
  it('binds $me as the username and compares the field as text', () => {
    const rule = compileRule({ field: 'owner', operator: '=', value: '$me' }, ctx);
    expect(rule.sql).toBe('(records.data ->> ?) = ?');
    expect(rule.bindings).toEqual(['owner', 'zhangsan']);
  });

  it('binds $myDepartments as a text array for the owner department', () => {
    const rule = compileRule({ field: '$ownerDepartment', operator: 'in', value: '$myDepartments' }, ctx);
    expect(rule.sql).toContain('&& ?::text[]');
    expect(rule.bindings).toEqual(['owner', ['d-1', 'd-2']]);
    expect(placeholders(rule.sql)).toBe(rule.bindings.length);
  });

  it('keeps an injection attempt in a field name or value a binding, never SQL text', () => {
    const evil = "x') OR 1=1; DROP TABLE records; --";
    for (const operator of ['=', '!=', '>', 'contains', 'in', 'empty', 'notEmpty'] as const) {
      const rule = compileRule({ field: evil, operator, value: evil }, ctx);
      expect(rule.sql).not.toContain('DROP');
      expect(rule.sql).not.toContain('1=1');
      expect(placeholders(rule.sql)).toBe(rule.bindings.length);
    }
    const contains = compileRule({ field: 'owner', operator: 'contains', value: '50%_off\\' }, ctx);
    expect(contains.bindings).toEqual(['owner', '%50\\%\\_off\\\\%']);
  });

  it('types numbers, dates, lists and booleans from the schema', () => {
    const amount = compileRule({ field: 'amount', operator: '>=', value: '100000' }, ctx);
    expect(amount.sql).toContain('::numeric');
    expect(amount.bindings).toEqual(['amount', 'amount', 100000]);
    expect(compileRule({ field: 'signed_on', operator: '<', value: '2026-01-01' }, ctx).sql).toContain('liuzhuan_try_timestamptz');
    expect(compileRule({ field: 'tags', operator: 'in', value: ['a', 'b'] }, ctx).sql).toContain('jsonb_array_elements_text');
    expect(compileRule({ field: 'vip', operator: '=', value: true }, ctx).bindings).toEqual(['vip', true]);
    // A number rule whose value is no number matches nothing rather than failing the query.
    expect(compileRule({ field: 'amount', operator: '>', value: 'abc' }, ctx).sql).toBe('FALSE');
  });

  it('joins rules with and/or, a NULL comparison counting as false; no filter is TRUE', () => {
    const both = compileFilter(
      { join: 'or', rules: [{ field: 'owner', operator: '=', value: '$me' }, { field: 'tier', operator: '=', value: 'A' }] },
      ctx,
    );
    expect(both.sql).toBe('(COALESCE(((records.data ->> ?) = ?), FALSE) OR COALESCE(((records.data ->> ?) = ?), FALSE))');
    expect(both.bindings).toEqual(['owner', 'zhangsan', 'tier', 'A']);
    expect(compileFilter(null, ctx).sql).toBe('TRUE');
    expect(compileRule({ field: '$creator', operator: '=', value: '$me' }, ctx).sql).toContain('SELECT cu.username FROM users cu');
  });
});
