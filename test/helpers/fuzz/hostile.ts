/**
 * Hostile values for the fuzz suites (fast-check arbitraries): wrong types, huge and empty
 * strings, NUL and lone surrogates, deep nesting, prototype keys, edge numbers, unicode names,
 * garbage path segments, and mutations of a valid example body (one field replaced, a key
 * added or removed) so the generated requests also reach the code behind the first check.
 */
import fc from 'fast-check';

/** Keys that have bitten JavaScript servers: prototype pollution and object-as-map lookups. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '张三',
  '𠀀𠀁',
  '👩‍👩‍👧‍👦',
  '\u202Eevil',
  'e\u0301\u0301\u0301',
  '\u200B',
  '\uFEFF',
  '\r\n',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-1',
  '1e308',
  '00000000-0000-0000-0000-000000000000',
  "'; DROP TABLE records; --",
  '%00',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '{{constructor.constructor "return process"}}',
  '${7*7}',
  '#{1+1}',
  '= 1 + 1',
  '@SUM(A1)',
  'count(for x in 1..1000000000 return x)',
  ...PROTOTYPE_KEYS,
];

const EDGE_NUMBERS = [0, -0, 1, -1, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, 2 ** 64, 0.1, 1.5, 123456789012345680000];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 20, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  // Lone surrogates and NUL inside otherwise ordinary text.
  { weight: 10, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\uD83D', '\uDE00'), fc.string({ maxLength: 8 })).map((parts) => parts.join('')) },
  // Huge: a long line, and (rarely) one larger than the 2 MB body limit.
  { weight: 10, arbitrary: fc.constantFrom(10_000, 100_000, 1_000_000).chain((n) => fc.constantFrom('x', '长', '\u0301').map((c) => c.repeat(n))) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(2_500_000)) },
);

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer() },
);

/** Nested `depth` levels (objects or arrays): the body depth limit is 64. */
export const deepValue: fc.Arbitrary<unknown> = fc.tuple(fc.constantFrom(10, 63, 64, 65, 500), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = arrays ? [value] : { a: value };
  return value;
});

/** Wide rather than deep: many keys or many elements. */
const wideValue: fc.Arbitrary<unknown> = fc.constantFrom(1_000, 20_000).chain((n) =>
  fc.constantFrom<unknown>(
    Array.from({ length: n }, (_, i) => i),
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])),
  ),
);

const key: fc.Arbitrary<string> = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) }, { weight: 3, arbitrary: hostileString.filter((s) => s.length < 200) }, { weight: 3, arbitrary: fc.string({ maxLength: 10 }) });

const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    edgeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  ),
}));

/** Any JSON value, with hostile leaves and keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: tree },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: wideValue },
);

/** A body as sent on the wire: a JSON value, raw text (malformed JSON, duplicate or prototype keys, big integers), or none. */
export type WireBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string; contentType: string }
  | { kind: 'multipart'; field: string; filename: string; content: string }
  | { kind: 'none' };

const rawBodies: fc.Arbitrary<WireBody> = fc
  .constantFrom(
    ['{"__proto__": {"admin": true, "role": "admin"}}', 'application/json'],
    ['{"constructor": {"prototype": {"admin": true}}}', 'application/json'],
    ['{"a": 1, "a": 2}', 'application/json'],
    ['{"n": 123456789012345678901234567890}', 'application/json'],
    ['{"n": 1e999}', 'application/json'],
    ['{"n": NaN}', 'application/json'],
    ['{', 'application/json'],
    ['', 'application/json'],
    ['null', 'application/json'],
    ['"text"', 'application/json'],
    ['[]', 'application/json'],
    ['\uFEFF{}', 'application/json'],
    ['{"a":"\\ud800"}', 'application/json'],
    ['{"a":"\\u0000"}', 'application/json'],
    ['a=1&b=2', 'application/x-www-form-urlencoded'],
    ['{}', 'text/plain'],
    ['<xml/>', 'application/xml'],
  )
  .map(([text, contentType]) => ({ kind: 'raw', text: text!, contentType: contentType! }));

type Json = unknown;

/** Every path into `value` (as key lists), the root included. */
function pathsOf(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

const REMOVE = Symbol('remove');

/** Sets an own property even for `__proto__` (plain assignment would set the prototype instead). */
function put(target: any, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

function setAt(value: Json, path: (string | number)[], replace: (old: Json) => Json | typeof REMOVE): Json {
  if (path.length === 0) {
    const next = replace(value);
    return next === REMOVE ? {} : next;
  }
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  if (rest.length > 0) {
    put(copy, head!, setAt(copy[head!], rest, replace));
    return copy;
  }
  const next = replace(copy[head!]);
  if (next !== REMOVE) put(copy, head!, next);
  else if (Array.isArray(copy)) copy.splice(head as number, 1);
  else delete copy[head!];
  return copy;
}

/** One mutation of a valid example: a value replaced, a key added (prototype keys included) or removed, a string made unicode. */
export function mutated(example: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(example);
  return fc.tuple(fc.constantFrom(...paths), fc.constantFrom('replace', 'replace', 'replace', 'addKey', 'remove', 'unicode'), hostileValue, key, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })).map(
    ([path, how, value, newKey, text]) => {
      if (how === 'replace') return setAt(example, path, () => value);
      if (how === 'remove') return path.length === 0 ? {} : setAt(example, path, () => REMOVE);
      if (how === 'unicode') return setAt(example, path, (old) => (typeof old === 'string' ? `${old}${text}` : old));
      return setAt(example, path, (old) => {
        if (!old || typeof old !== 'object' || Array.isArray(old)) return old;
        const copy = { ...old };
        put(copy, newKey, value);
        return copy;
      });
    },
  );
}

/**
 * A body for a route: mostly mutations of its valid examples (these reach validation's far
 * side), the examples themselves, hostile values and raw hostile text.
 */
export function hostileBody(examples: Json[]): fc.Arbitrary<WireBody> {
  const options: fc.WeightedArbitrary<WireBody>[] = [
    { weight: 20, arbitrary: hostileValue.map((value) => ({ kind: 'json', value })) },
    { weight: 10, arbitrary: rawBodies },
    { weight: 3, arbitrary: fc.constant({ kind: 'none' }) },
  ];
  if (examples.length > 0) {
    options.push({ weight: 60, arbitrary: fc.constantFrom(...examples).chain(mutated).map((value) => ({ kind: 'json', value })) });
    options.push({ weight: 10, arbitrary: fc.constantFrom(...examples).map((value) => ({ kind: 'json', value })) });
  }
  return fc.oneof(...options);
}

/** Percent-encodes any string; a lone surrogate (which encodeURIComponent refuses) becomes its WTF-8 bytes, as a sloppy client would send them. */
export function encodeLoosely(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(char);
  }
  return out;
}

/** Garbage for a path parameter, already URL-encoded where the garbage is the point. */
export const garbageSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', 'abc', '1e308', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '%00', '%E0%A4%A', '%2e%2e', '..', '%20', 'x'.repeat(5000), '%F0%9F%98%80', encodeURIComponent('张三'), ...PROTOTYPE_KEYS),
  fc.uuid(),
  hostileString.filter((s) => s.length > 0 && s.length < 300).map(encodeLoosely),
);

/** Serialised for fetch: JSON.stringify keeps lone surrogates and NUL as \u escapes, as a client would send them. */
export function wire(body: WireBody): { body?: string | FormData; contentType?: string } {
  if (body.kind === 'none') return {};
  if (body.kind === 'multipart') {
    const form = new FormData();
    form.append(body.field, new Blob([body.content]), body.filename);
    return { body: form };
  }
  if (body.kind === 'raw') return { body: body.text, contentType: body.contentType };
  return { body: JSON.stringify(body.value) ?? 'null', contentType: 'application/json' };
}

/** A short description for failure messages (huge strings cut). */
export function describeBody(body: WireBody): string {
  const text =
    body.kind === 'none'
      ? '(no body)'
      : body.kind === 'raw'
        ? `raw ${body.contentType}: ${body.text}`
        : body.kind === 'multipart'
          ? `multipart ${JSON.stringify(body.field)} ${JSON.stringify(body.filename)}: ${JSON.stringify(body.content)}`
          : JSON.stringify(body.value);
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
}
