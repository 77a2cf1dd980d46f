/**
 * Error messages beside fields. Client-side: an ajv localizer with the same wording as the
 * server (engine/forms/messages.ts) except `required`, which sits beside its own field and
 * so says just "必填". Server-side: 422 `details` pointers (`/amount`, `/items/0/qty`)
 * become rjsf `extraErrors`, so each message shows beside the field it names.
 */
import type { ErrorObject } from 'ajv';
import type { ErrorSchema } from '@rjsf/utils';
import type { Locale } from '../../i18n/i18n.tsx';

type Params = Record<string, any>;
type Messages = Record<string, (p: Params) => string>;

const FORMAT_NAMES: Record<string, [string, string]> = {
  date: ['日期（YYYY-MM-DD）', 'date (YYYY-MM-DD)'],
  'date-time': ['日期时间', 'date and time'],
  email: ['电子邮箱地址', 'e-mail address'],
  uri: ['网址', 'URL'],
  uuid: ['UUID', 'UUID'],
};
const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['文本', 'text'],
  number: ['数字', 'a number'],
  integer: ['整数', 'a whole number'],
  boolean: ['是/否', 'true or false'],
  object: ['对象', 'an object'],
  array: ['列表', 'a list'],
};
const pick = (pair: [string, string] | undefined, en: boolean, fallback: string) => (pair ? pair[en ? 1 : 0] : fallback);
const list = (values: unknown[], en: boolean) => values.map((v) => JSON.stringify(v)).join(en ? ', ' : '、');

const ZH: Messages = {
  required: () => '必填',
  type: (p) => `应为${pick(TYPE_NAMES[String(p.type)], false, String(p.type))}`,
  minimum: (p) => `不能小于 ${p.limit}`,
  maximum: (p) => `不能大于 ${p.limit}`,
  exclusiveMinimum: (p) => `必须大于 ${p.limit}`,
  exclusiveMaximum: (p) => `必须小于 ${p.limit}`,
  minLength: (p) => (p.limit === 1 ? '必填' : `至少需要 ${p.limit} 个字符`),
  maxLength: (p) => `最多 ${p.limit} 个字符`,
  pattern: (p) => `格式不正确（应匹配 ${p.pattern}）`,
  format: (p) => `不是有效的${pick(FORMAT_NAMES[p.format], false, p.format)}`,
  enum: (p) => `必须是以下值之一：${list(p.allowedValues, false)}`,
  const: (p) => `必须等于 ${JSON.stringify(p.allowedValue)}`,
  minItems: (p) => `至少需要 ${p.limit} 项`,
  maxItems: (p) => `最多 ${p.limit} 项`,
  uniqueItems: (p) => `第 ${p.j + 1} 项与第 ${p.i + 1} 项重复`,
  additionalProperties: (p) => `不允许的字段「${p.additionalProperty}」`,
  multipleOf: (p) => `必须是 ${p.multipleOf} 的倍数`,
};

const EN: Messages = {
  required: () => 'Required',
  type: (p) => `must be ${pick(TYPE_NAMES[String(p.type)], true, String(p.type))}`,
  minimum: (p) => `must be at least ${p.limit}`,
  maximum: (p) => `must be at most ${p.limit}`,
  exclusiveMinimum: (p) => `must be greater than ${p.limit}`,
  exclusiveMaximum: (p) => `must be less than ${p.limit}`,
  minLength: (p) => (p.limit === 1 ? 'Required' : `must be at least ${p.limit} characters long`),
  maxLength: (p) => `must be at most ${p.limit} characters long`,
  pattern: (p) => `does not match the expected pattern ${p.pattern}`,
  format: (p) => `must be a valid ${pick(FORMAT_NAMES[p.format], true, p.format)}`,
  enum: (p) => `must be one of: ${list(p.allowedValues, true)}`,
  const: (p) => `must be ${JSON.stringify(p.allowedValue)}`,
  minItems: (p) => `must have at least ${p.limit} items`,
  maxItems: (p) => `must have at most ${p.limit} items`,
  uniqueItems: (p) => `item ${p.j + 1} duplicates item ${p.i + 1}`,
  additionalProperties: (p) => `field "${p.additionalProperty}" is not allowed`,
  multipleOf: (p) => `must be a multiple of ${p.multipleOf}`,
};

/** An rjsf-validator localizer: rewrites each ajv error's message in place. */
export function ajvLocalizer(locale: Locale) {
  const table = locale === 'en' ? EN : ZH;
  return (errors?: null | ErrorObject[]) => {
    for (const error of errors ?? []) {
      const write = table[error.keyword];
      if (write) error.message = write(error.params as Params);
    }
  };
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** 422 details → rjsf error schema (`{amount: {__errors: [...]}, items: {0: {qty: {...}}}}`); '' lands on the form. */
export function serverErrorSchema(details: { pointer: string; message: string }[] | undefined): ErrorSchema | undefined {
  if (!details?.length) return undefined;
  const root: Record<string, any> = {};
  for (const { pointer, message } of details) {
    const tokens = pointer.startsWith('/') ? pointer.slice(1).split('/').map(unescapeToken) : [];
    let node = root;
    for (const token of tokens) node = node[token] ??= {};
    (node.__errors ??= []).push(message);
  }
  return root as ErrorSchema;
}

/** Top-level field names that a list of details points at (to scroll to the first). */
export function firstPointedField(details: { pointer: string }[] | undefined): string | undefined {
  const pointer = details?.find((d) => d.pointer.startsWith('/'))?.pointer;
  return pointer ? unescapeToken(pointer.slice(1).split('/')[0]) : undefined;
}
