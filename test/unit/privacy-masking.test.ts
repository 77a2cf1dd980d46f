/** Masks, identifier normalisation, key parsing and the value encryption of engine/privacy. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindIndex, decryptPersonal, decryptValue, encryptPersonal, encryptValue } from '../../engine/privacy/crypto.ts';
import { parseIdentifiers, scrubText, textNames } from '../../engine/privacy/identifiers.ts';
import { configureDataKeys, parseDataKeys } from '../../engine/privacy/keys.ts';
import { maskPersonal, maskValue, personalFields } from '../../engine/privacy/personal.ts';
import { compileSchema } from '../../engine/forms/validator.ts';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
function useKeys(text: string) {
  const keys = parseDataKeys(text);
  configureDataKeys({ current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])), source: 'environment' });
}

describe('masks', () => {
  it.each([
    ['phone', '13800000000', '138****0000'],
    ['phone', '021-5555 0101', '021****0101'],
    ['email', 'zhang@example.com', 'z***@example.com'],
    ['idNumber', '110101199003071234', '110101********1234'],
    ['address', '上海市浦东新区世纪大道100号', '上海市浦东新****'],
    ['bankAccount', '6222 0212 3456 7890', '**** 7890'],
    ['name', '张三', '张*'],
    ['name', '欧阳娜娜', '欧***'],
    ['name', 'John Smith', 'J***'],
  ] as const)('%s %s → %s, and masking a masked value changes nothing', (kind, value, masked) => {
    expect(maskValue(kind, value)).toBe(masked);
    expect(maskValue(kind, masked)).toBe(masked);
  });

  it('masks only the marked top-level fields and leaves empty values', () => {
    const schema = { properties: { phone: { type: 'string', 'x-personal': 'phone' }, note: { type: 'string' }, bad: { 'x-personal': 'shoeSize' } } };
    expect([...personalFields(schema)]).toEqual([['phone', 'phone']]);
    expect(maskPersonal(schema, { phone: '13800000000', note: '13800000000', bad: 'x' })).toEqual({ phone: '138****0000', note: '13800000000', bad: 'x' });
    expect(maskPersonal(schema, { phone: '' })).toEqual({ phone: '' });
  });

  it('a form schema naming an unknown kind is refused (a typo must not leave a field unprotected)', () => {
    expect(() => compileSchema({ type: 'object', properties: { p: { type: 'string', 'x-personal': 'phone' } } })).not.toThrow();
    expect(() => compileSchema({ type: 'object', properties: { p: { type: 'string', 'x-personal': 'mobile' } } })).toThrow(/x-personal must be one of/);
  });
});

describe('encryption', () => {
  it('round-trips, binds the value to its field, and detects tampering', () => {
    useKeys(keyText('t1'));
    const sealed = encryptValue('phone', 'phone', '13800000000');
    expect(sealed.$enc.startsWith('t1:')).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('13800000000');
    expect(decryptValue('phone', sealed)).toBe('13800000000');
    expect(() => decryptValue('mobile', sealed)).toThrow();
    const [id, iv, tag, data] = sealed.$enc.split(':');
    const flipped = Buffer.from(data!, 'base64');
    flipped[0]! ^= 1;
    expect(() => decryptValue('phone', { ...sealed, $enc: [id, iv, tag, flipped.toString('base64')].join(':') })).toThrow();
  });

  it('encrypts only personal fields, keeps numbers numbers, and reads back the same data', () => {
    useKeys(keyText('t1'));
    const fields = new Map([['phone', 'phone' as const], ['amount', 'bankAccount' as const]]);
    const stored = encryptPersonal(fields, { phone: '13800000000', amount: 42, note: 'x', empty: '' }) as Record<string, unknown>;
    expect(stored.note).toBe('x');
    expect(decryptPersonal(stored)).toEqual({ phone: '13800000000', amount: 42, note: 'x', empty: '' });
    // Already encrypted values are kept as they are (a raw row written back).
    expect(encryptPersonal(fields, stored)).toEqual(stored);
  });

  it('gives the same blind index for the same number written two ways', () => {
    useKeys(keyText('t1'));
    expect(blindIndex('phone', '+86 138-0000-0000')).toBe(blindIndex('phone', '13800000000'));
    expect(blindIndex('email', 'Zhang@Example.com')).toBe(blindIndex('email', 'zhang@example.com'));
    expect(blindIndex('phone', '13800000001')).not.toBe(blindIndex('phone', '13800000000'));
  });

  it('refuses a malformed key list with a message that does not print the key', () => {
    expect(() => parseDataKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseDataKeys('bad id:' + randomBytes(32).toString('base64'))).toThrow(/id/);
    const key = keyText('k1');
    expect(() => parseDataKeys(`${key},${key}`)).toThrow(/twice/);
  });
});

describe('identifiers', () => {
  it('finds and scrubs a person in text, and refuses vague identifiers', () => {
    const needles = parseIdentifiers({ identifiers: { phone: '138 0000 0000', name: '张三' } });
    expect(textNames('请回电 13800000000', needles)).toBe(true);
    expect(textNames('请回电 138-0000-0000', needles)).toBe(true);
    expect(textNames('李四来电', needles)).toBe(false);
    expect(scrubText('张三来电 13800000000', needles)).toBe('***来电 ***');
    expect(() => parseIdentifiers({ identifiers: { name: '张' } })).toThrow(/too short/);
    expect(() => parseIdentifiers({ identifiers: {} })).toThrow(/at least one/i);
    expect(() => parseIdentifiers({ identifiers: { passport: 'X' } })).toThrow(/Unknown/);
  });
});
