import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../engine/errors.ts';
import { assertValid, compileSchema } from '../../engine/forms/validator.ts';

function errorOf(run: () => void): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('compileSchema', () => {
  it('rejects an unknown keyword such as a typo of "type", naming it', () => {
    const error = errorOf(() => compileSchema({ type: 'object', properties: { name: { typ: 'string' } } }));
    expect(error.status).toBe(422);
    expect(error.details![0]).toMatchObject({ pointer: '/schema', message: expect.stringContaining('typ') });
  });

  it('accepts x- annotations, title and description anywhere', () => {
    expect(() =>
      compileSchema({
        type: 'object',
        title: 'T',
        description: 'D',
        'x-layout': { columns: 2 },
        properties: { name: { type: 'string', title: 'Name', 'x-widget': 'text' } },
      }),
    ).not.toThrow();
  });

  it('accepts conditional required fields', () => {
    expect(() =>
      compileSchema({
        type: 'object',
        properties: { kind: { type: 'string' }, reason: { type: 'string' } },
        if: { properties: { kind: { const: 'other' } } },
        then: { required: ['reason'] },
      }),
    ).not.toThrow();
  });

  it('rejects an unknown format and a non-object schema', () => {
    expect(errorOf(() => compileSchema({ type: 'string', format: 'dat' })).message).toContain('unknown format');
    expect(errorOf(() => compileSchema([])).details![0].pointer).toBe('/schema');
  });
});

describe('assertValid', () => {
  const validate = compileSchema({
    type: 'object',
    required: ['name', 'amount'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 2 },
      amount: { type: 'number', minimum: 0, multipleOf: 0.01 },
      tier: { enum: ['A', 'B'] },
      'a/b': { type: 'string' },
      items: { type: 'array', maxItems: 1, items: { type: 'object', required: ['x'], properties: { x: { type: 'integer' } } } },
    },
  });

  it('lists every error with its JSON pointer (missing properties point at themselves)', () => {
    const error = errorOf(() => assertValid(validate, { amount: -1, tier: 'Z', extra: 1, items: [{}, {}] }, 'en'));
    const pointers = error.details!.map((d) => d.pointer).sort();
    expect(pointers).toEqual(['/amount', '/extra', '/items', '/items/0/x', '/items/1/x', '/name', '/tier']);
  });

  it('escapes ~ and / in pointers', () => {
    const error = errorOf(() => assertValid(validate, { name: 'ok', amount: 1, 'a/b': 3 }, 'en'));
    expect(error.details).toEqual([{ pointer: '/a~1b', message: 'must be text' }]);
  });

  it('writes messages in zh-CN or en', () => {
    const zh = errorOf(() => assertValid(validate, { name: 'x', amount: 1.234 }, 'zh-CN'));
    expect(zh.details).toEqual([
      { pointer: '/name', message: '至少需要 2 个字符' },
      { pointer: '/amount', message: '必须是 0.01 的倍数' },
    ]);
    const en = errorOf(() => assertValid(validate, { amount: 'x' }, 'en'));
    expect(en.details).toEqual(
      expect.arrayContaining([
        { pointer: '/name', message: '"name" is required' },
        { pointer: '/amount', message: 'must be a number' },
      ]),
    );
  });

  it('requires the data to be an object', () => {
    expect(errorOf(() => assertValid(validate, [1], 'en')).details).toEqual([{ pointer: '', message: 'must be an object' }]);
  });
});

describe('storable data', () => {
  it('refuses the NUL character, which jsonb cannot store', () => {
    const validate = compileSchema({ type: 'object', properties: { note: { type: 'string' } } });
    expect(errorOf(() => assertValid(validate, { note: 'a\u0000b' }, 'en')).status).toBe(422);
    expect(() => assertValid(validate, { note: 'a\\u0000b' }, 'en')).not.toThrow();
  });
});
