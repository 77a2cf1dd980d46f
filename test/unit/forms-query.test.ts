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
  return parseRecordQuery(new URLSearchParams(query), schema);
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
