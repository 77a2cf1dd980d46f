import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../engine/errors.ts';
import { parseRecordQuery } from '../../engine/forms/query.ts';

const schema = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    amount: { type: 'number' },
    vip: { type: 'boolean' },
    customer: { type: 'object', properties: { name: { type: 'string' } } },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

function parse(query: string) {
  return parseRecordQuery(new URLSearchParams(query), { schema });
}

function rejected(query: string): ValidationError {
  try {
    parse(query);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to be rejected`);
}

describe('parseRecordQuery', () => {
  it('defaults to newest first, page 1 of 20', () => {
    expect(parse('')).toEqual({ filters: [], sort: [{ column: 'createdAt', descending: true }], page: 1, pageSize: 20 });
  });

  it('types filter values from the schema', () => {
    expect(parse('filter[status]=open&filter[amount][gte]=100&filter[vip]=true&filter[customer.name][contains]=华').filters).toEqual([
      { path: ['status'], kind: 'text', op: 'eq', values: ['open'] },
      { path: ['amount'], kind: 'number', op: 'gte', values: [100] },
      { path: ['vip'], kind: 'boolean', op: 'eq', values: [true] },
      { path: ['customer', 'name'], kind: 'text', op: 'contains', values: ['华'] },
    ]);
    expect(parse('filter[amount][in]=1,2.5').filters[0].values).toEqual([1, 2.5]);
  });

  it('parses sort, page and pageSize', () => {
    expect(parse('sort=data.amount,-createdAt&page=3&pageSize=200')).toEqual({
      filters: [],
      sort: [
        { path: ['amount'], kind: 'number', descending: false },
        { column: 'createdAt', descending: true },
      ],
      page: 3,
      pageSize: 200,
    });
  });

  it.each([
    ['filter[amount][gte]=abc', 'filter[amount][gte]'],
    ['filter[amount][between]=1', 'filter[amount][between]'],
    ['filter[nope]=1', 'filter[nope]'],
    ["filter[a'b]=1", "filter[a'b]"],
    ['filter[tags]=x', 'filter[tags]'],
    ['filter[vip][gt]=true', 'filter[vip][gt]'],
    ['sort=password', 'sort'],
    ['sort=data.x;drop', 'sort'],
    ['page=0', 'page'],
    ['pageSize=201', 'pageSize'],
    ['pageSize=1.5', 'pageSize'],
    ['page=1&page=2', 'page'],
    ['limit=5', 'limit'],
  ])('rejects %s naming the parameter', (query, parameter) => {
    const error = rejected(query);
    expect(error.status).toBe(422);
    expect(error.details![0].pointer).toBe(parameter);
  });
});

describe('parseRecordQuery with option labels', () => {
  const form = {
    schema: {
      type: 'object',
      properties: {
        category: { type: 'string', enum: ['billing', 'service'] },
        channels: { type: 'array', items: { type: 'string', enum: ['phone', 'mail'] } },
        level: { type: 'integer', oneOf: [{ const: 1, title: '低' }, { const: 3, title: '高' }] },
        day: { type: 'string', format: 'date' },
        priority: { type: 'string', enum: ['p1', 'p2'] },
      },
    },
    uiSchema: {
      category: { 'ui:enumNames': { 'zh-CN': ['账单', '服务'], en: ['Billing', 'Service'] } },
      channels: { 'ui:enumNames': ['电话', '邮件'] },
      priority: { 'ui:enumNames': [{ 'zh-CN': '紧急', en: 'Urgent' }, { 'zh-CN': '普通', en: 'Normal' }] },
    },
  };
  const filters = (query: string) => parseRecordQuery(new URLSearchParams(query), form).filters;

  it('reads a choice by its stored value or any of its labels', () => {
    for (const word of ['账单', 'billing', 'Billing', ' billing ']) {
      expect(filters(`filter[category]=${encodeURIComponent(word)}`)).toEqual([{ path: ['category'], kind: 'text', op: 'in', values: ['billing'] }]);
    }
    expect(filters('filter[category][ne]=服务')).toEqual([{ path: ['category'], kind: 'text', op: 'notIn', values: ['service'] }]);
    expect(filters('filter[category][in]=账单,Service')[0]!.values).toEqual(['billing', 'service']);
    expect(filters('filter[category][contains]=务')[0]!.values).toEqual(['service']);
    expect(filters('filter[level]=高')[0]!.values).toEqual([3]);
    expect(filters('filter[channels]=邮件')).toEqual([{ path: ['channels'], kind: 'choices', op: 'in', values: ['mail'] }]);
  });

  it('reads every label shape the condition checks read (one reader, optionLabels.ts): a list of per-language labels', () => {
    expect(filters('filter[priority]=Urgent')[0]!.values).toEqual(['p1']);
    expect(filters('filter[priority]=普通')[0]!.values).toEqual(['p2']);
  });

  it('keeps a word no option carries (an older version may have stored it)', () => {
    expect(filters('filter[category]=legacy')[0]!.values).toEqual(['legacy']);
  });

  it('types date fields and bounds what a user sends', () => {
    expect(filters('filter[day][gte]=2026-12-01')).toEqual([{ path: ['day'], kind: 'date', op: 'gte', values: ['2026-12-01'] }]);
    expect(() => filters('filter[day][gte]=yesterday')).toThrow(ValidationError);
    expect(() => filters(Array.from({ length: 21 }, () => 'filter[category]=x').join('&'))).toThrow(/at most 20 filters/);
    expect(() => filters(`filter[category]=${'x'.repeat(501)}`)).toThrow(/longer than 500/);
    expect(parseRecordQuery(new URLSearchParams('sort=-day'), form).sort).toEqual([{ path: ['day'], kind: 'date', descending: true }]);
    expect(() => parseRecordQuery(new URLSearchParams('sort=channels'), form)).toThrow(/several choices/);
  });
});
