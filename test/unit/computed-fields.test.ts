import { describe, expect, it } from 'vitest';
import { applyFormulas, keepSerials, serialFields } from '../../engine/forms/computedFields.ts';

const order = {
  type: 'object',
  properties: {
    discount: { type: 'number' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          price: { type: 'number' },
          quantity: { type: 'integer' },
          amount: { type: 'number', readOnly: true, 'x-formula': 'price * quantity * (1 - discount)' },
        },
      },
    },
    total: { type: 'number', readOnly: true, 'x-formula': 'sum(lines.amount)' },
    label: { type: 'string', 'x-formula': 'if total > 100 then "big" else "small"' },
    no: { type: 'string', readOnly: true, 'x-serial': { prefix: 'HT', digits: 4, date: true } },
  },
};

describe('formula fields', () => {
  it('recomputes row and record formulas, overriding what the browser sent', async () => {
    const data = { discount: 0.1, lines: [{ price: 10, quantity: 3, amount: 999 }, { price: 0.1, quantity: 3 }], total: 1, label: 'x' };
    expect(await applyFormulas(order, data)).toEqual({
      discount: 0.1,
      lines: [{ price: 10, quantity: 3, amount: 27 }, { price: 0.1, quantity: 3, amount: 0.27 }],
      total: 27.27,
      label: 'small',
    });
  });

  it('leaves a formula empty when an operand is missing instead of failing the record', async () => {
    expect(await applyFormulas(order, { lines: [{ price: 10 }] })).toEqual({ lines: [{ price: 10 }], label: 'small' });
  });

  it('returns data untouched for a form without formulas', async () => {
    const data = { a: 1 };
    expect(await applyFormulas({ type: 'object', properties: { a: { type: 'number' } } }, data)).toBe(data);
  });
});

describe('serial fields', () => {
  it('finds serial fields with their settings', () => {
    expect(serialFields(order)).toEqual([['no', { prefix: 'HT', digits: 4, date: true }]]);
  });

  it('keeps the stored serial on replace, whatever was sent', () => {
    expect(keepSerials(order, { no: 'HT202611230001' }, { no: 'forged', discount: 0 })).toEqual({ no: 'HT202611230001', discount: 0 });
    expect(keepSerials(order, {}, { no: 'forged' })).toEqual({});
  });
});
