/**
 * Human messages for ajv errors, in zh-CN or en. Written by hand for the keywords a form
 * user actually meets; anything rarer falls back to ajv's own (English) message.
 */
import type { ErrorObject } from 'ajv';

export type MessageLocale = 'zh-CN' | 'en';

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  integer: { 'zh-CN': '整数', en: 'a whole number' },
  boolean: { 'zh-CN': '是/否', en: 'true or false' },
  object: { 'zh-CN': '对象', en: 'an object' },
  array: { 'zh-CN': '列表', en: 'a list' },
  null: { 'zh-CN': '空值', en: 'empty' },
};

const FORMAT_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  date: { 'zh-CN': '日期（YYYY-MM-DD）', en: 'date (YYYY-MM-DD)' },
  'date-time': { 'zh-CN': '日期时间（ISO 8601）', en: 'date and time (ISO 8601)' },
  time: { 'zh-CN': '时间', en: 'time' },
  email: { 'zh-CN': '电子邮箱地址', en: 'e-mail address' },
  uri: { 'zh-CN': '网址', en: 'URL' },
  uuid: { 'zh-CN': 'UUID', en: 'UUID' },
};

function typeName(type: unknown, locale: MessageLocale): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((t) => TYPE_NAMES[t]?.[locale] ?? t).join(locale === 'en' ? ' or ' : '或');
}

function list(values: unknown[], locale: MessageLocale): string {
  return values.map((v) => JSON.stringify(v)).join(locale === 'en' ? ', ' : '、');
}

type Params = Record<string, any>;
type Messages = Record<string, (p: Params, locale: MessageLocale) => string>;

const ZH: Messages = {
  required: (p) => `必填项「${p.missingProperty}」未填写`,
  type: (p, l) => `应为${typeName(p.type, l)}`,
  minimum: (p) => `不能小于 ${p.limit}`,
  maximum: (p) => `不能大于 ${p.limit}`,
  exclusiveMinimum: (p) => `必须大于 ${p.limit}`,
  exclusiveMaximum: (p) => `必须小于 ${p.limit}`,
  minLength: (p) => `至少需要 ${p.limit} 个字符`,
  maxLength: (p) => `最多 ${p.limit} 个字符`,
  pattern: (p) => `格式不正确（应匹配 ${p.pattern}）`,
  format: (p, l) => `不是有效的${FORMAT_NAMES[p.format]?.[l] ?? p.format}`,
  enum: (p, l) => `必须是以下值之一：${list(p.allowedValues, l)}`,
  const: (p) => `必须等于 ${JSON.stringify(p.allowedValue)}`,
  minItems: (p) => `至少需要 ${p.limit} 项`,
  maxItems: (p) => `最多 ${p.limit} 项`,
  uniqueItems: (p) => `第 ${p.j + 1} 项与第 ${p.i + 1} 项重复`,
  additionalProperties: (p) => `不允许的字段「${p.additionalProperty}」`,
  multipleOf: (p) => `必须是 ${p.multipleOf} 的倍数`,
};

const EN: Messages = {
  required: (p) => `"${p.missingProperty}" is required`,
  type: (p, l) => `must be ${typeName(p.type, l)}`,
  minimum: (p) => `must be at least ${p.limit}`,
  maximum: (p) => `must be at most ${p.limit}`,
  exclusiveMinimum: (p) => `must be greater than ${p.limit}`,
  exclusiveMaximum: (p) => `must be less than ${p.limit}`,
  minLength: (p) => `must be at least ${p.limit} characters long`,
  maxLength: (p) => `must be at most ${p.limit} characters long`,
  pattern: (p) => `does not match the expected pattern ${p.pattern}`,
  format: (p, l) => `must be a valid ${FORMAT_NAMES[p.format]?.[l] ?? p.format}`,
  enum: (p, l) => `must be one of: ${list(p.allowedValues, l)}`,
  const: (p) => `must be ${JSON.stringify(p.allowedValue)}`,
  minItems: (p) => `must have at least ${p.limit} items`,
  maxItems: (p) => `must have at most ${p.limit} items`,
  uniqueItems: (p) => `item ${p.j + 1} duplicates item ${p.i + 1}`,
  additionalProperties: (p) => `field "${p.additionalProperty}" is not allowed`,
  multipleOf: (p) => `must be a multiple of ${p.multipleOf}`,
};

export function messageFor(error: ErrorObject, locale: MessageLocale): string {
  const write = (locale === 'en' ? EN : ZH)[error.keyword];
  return write ? write(error.params as Params, locale) : (error.message ?? error.keyword);
}

/** The summary line of a 422 for invalid record data. */
export function invalidDataMessage(locale: MessageLocale): string {
  return locale === 'en' ? 'The data does not match the form' : '数据不符合表单要求';
}

/** The summary line of a 422 for an invalid API request body. */
export function invalidBodyMessage(locale: MessageLocale): string {
  return locale === 'en' ? 'The request is invalid' : '请求内容不正确';
}
