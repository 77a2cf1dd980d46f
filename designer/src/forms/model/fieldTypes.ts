/**
 * The designer's field types and how each is stored (pure; no React). The stored form is
 * plain JSON Schema 2020-12 (what the server validates) + a uiSchema (presentation and
 * localized texts); `x-` annotations carry meaning the server ignores but other readers use.
 *
 * | type        | schema                                                                    | uiSchema                          |
 * |-------------|---------------------------------------------------------------------------|-----------------------------------|
 * | text        | string (+minLength/maxLength/pattern)                                     |                                   |
 * | textarea    | string                                                                    | ui:widget textarea                |
 * | number      | number or integer (+minimum/maximum)                                      |                                   |
 * | money       | number, x-widget money, x-currency (2 decimals enforced by the widget)    |                                   |
 * | date        | string, format date                                                       |                                   |
 * | datetime    | string, format date-time                                                  |                                   |
 * | select      | string, enum                                                              | ui:enumNames {zh-CN:[], en:[]}    |
 * | radio       | string, enum                                                              | ui:widget radio, ui:enumNames     |
 * | multiselect | array of string enum, uniqueItems                                         | ui:enumNames                      |
 * | checkbox    | array of string enum, uniqueItems                                         | ui:widget checkboxes, ui:enumNames|
 * | member      | string (username), x-widget user-picker                                   |                                   |
 * | department  | string (department code), x-widget department-picker                      |                                   |
 * | attachment  | array of {name,type,size,dataUrl}, x-widget attachment (inline, no upload API) |                              |
 * | image       | same, x-widget image                                                      |                                   |
 * | signature   | string PNG data URL, x-widget signature                                   |                                   |
 * | address     | object {province,city,district,detail}, x-widget address                  |                                   |
 * | serial      | string, readOnly, x-serial {prefix,digits} (server fills it)              |                                   |
 * | subform     | array of objects (columns = properties)                                   | items: {ui:order, <col>: {...}}   |
 * | lookup      | string (value of the linked form's field), x-lookup {form,field}          |                                   |
 * | formula     | number or string, readOnly, x-formula "<FEEL>" (computed in the browser)  |                                   |
 * | divider / description | nothing: uiSchema-only `x-layout` entries, never in records     | x-layout [{id,kind,text,before}]  |
 * | raw         | anything the designer does not model, kept verbatim                       |                                   |
 *
 * Every field: `ui:title`, `ui:help`, `ui:placeholder` (localized), `x-visibleWhen`; a top-level
 * field may be marked personal (`x-personal`: phone, email, idNumber, address, bankAccount, name). Order:
 * `ui:order`. A required field with a visibility rule is required through a root `allOf`
 * `if/then` instead of `required`, so the server enforces "required while shown".
 */
import type { VisibilityRule } from './visibility.ts';
import type { PersonalKind } from '../../privacy/personalKinds.ts';

export type FieldType =
  | 'text' | 'textarea' | 'number' | 'money' | 'date' | 'datetime'
  | 'select' | 'multiselect' | 'radio' | 'checkbox'
  | 'member' | 'department' | 'attachment' | 'image' | 'signature' | 'address'
  | 'serial' | 'subform' | 'lookup' | 'formula' | 'divider' | 'description' | 'raw';

/** `{ "zh-CN": …, "en": … }`; stored as a plain string when there is no English. */
export interface Texts {
  'zh-CN': string;
  en: string;
}

export interface FieldOption {
  value: string;
  label: Texts;
}

export interface DesignField {
  /** Data key (records, FEEL, filters); for divider/description the layout id. */
  key: string;
  type: FieldType;
  label: Texts;
  help?: Texts;
  placeholder?: Texts;
  required?: boolean;
  defaultValue?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  integer?: boolean;
  options?: FieldOption[];
  currency?: string;
  /** attachment/image: per-file cap in bytes, and how many files. */
  maxFileSize?: number;
  maxItems?: number;
  minItems?: number;
  serial?: { prefix: string; digits: number };
  lookup?: { form: string; field: string };
  formula?: string;
  formulaType?: 'number' | 'string';
  columns?: DesignField[];
  visibleWhen?: VisibilityRule;
  /** Personal information (个人信息, schema `x-personal`): encrypted at rest, shown masked. */
  personal?: PersonalKind;
  /** raw: the stored schema and uiSchema, untouched. */
  raw?: { schema: Record<string, unknown>; ui?: Record<string, unknown> };
  /** uiSchema keys the designer does not edit, kept as they were. */
  uiExtra?: Record<string, unknown>;
  /** True once the key is in a published version: renaming it would orphan stored data. */
  published?: boolean;
}

export interface DesignForm {
  key: string;
  title: Texts;
  fields: DesignField[];
  /** Root schema keywords the designer does not edit (e.g. description), kept. */
  rootExtra?: Record<string, unknown>;
}

export const FIELD_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const LAYOUT_TYPES: FieldType[] = ['divider', 'description'];
export const OPTION_TYPES: FieldType[] = ['select', 'multiselect', 'radio', 'checkbox'];
/** Types offered for sub-form columns. */
export const COLUMN_TYPES: FieldType[] = ['text', 'number', 'money', 'date', 'select', 'member'];
export const DEFAULT_FILE_SIZE = 512 * 1024;

export interface PaletteEntry {
  type: FieldType;
  label: Texts;
  group: 'basic' | 'advanced' | 'layout';
}

const t = (zh: string, en: string): Texts => ({ 'zh-CN': zh, en });

export const PALETTE: PaletteEntry[] = [
  { type: 'text', label: t('单行文本', 'Text'), group: 'basic' },
  { type: 'textarea', label: t('多行文本', 'Long text'), group: 'basic' },
  { type: 'number', label: t('数字', 'Number'), group: 'basic' },
  { type: 'money', label: t('金额', 'Money'), group: 'basic' },
  { type: 'date', label: t('日期', 'Date'), group: 'basic' },
  { type: 'datetime', label: t('日期时间', 'Date & time'), group: 'basic' },
  { type: 'select', label: t('下拉框', 'Select'), group: 'basic' },
  { type: 'multiselect', label: t('下拉复选框', 'Multi select'), group: 'basic' },
  { type: 'radio', label: t('单选按钮组', 'Radio'), group: 'basic' },
  { type: 'checkbox', label: t('复选框组', 'Checkboxes'), group: 'basic' },
  { type: 'member', label: t('成员', 'Member'), group: 'advanced' },
  { type: 'department', label: t('部门', 'Department'), group: 'advanced' },
  { type: 'attachment', label: t('附件', 'Attachment'), group: 'advanced' },
  { type: 'image', label: t('图片', 'Image'), group: 'advanced' },
  { type: 'signature', label: t('手写签名', 'Signature'), group: 'advanced' },
  { type: 'address', label: t('地址', 'Address'), group: 'advanced' },
  { type: 'serial', label: t('流水号', 'Serial no.'), group: 'advanced' },
  { type: 'subform', label: t('子表单', 'Sub-form'), group: 'advanced' },
  { type: 'lookup', label: t('关联数据', 'Linked record'), group: 'advanced' },
  { type: 'formula', label: t('公式', 'Formula'), group: 'advanced' },
  { type: 'divider', label: t('分割线', 'Divider'), group: 'layout' },
  { type: 'description', label: t('描述文字', 'Description'), group: 'layout' },
];

export function paletteLabel(type: FieldType): Texts {
  return PALETTE.find((p) => p.type === type)?.label ?? t('高级字段', 'Advanced field');
}

/** A fresh key like `money_2`, unique among `taken`. */
export function nextKey(type: FieldType, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${type}_${n}`)) return `${type}_${n}`;
}

/** A new field of `type` with the designer's sensible limits preset (visible and editable). */
export function createField(type: FieldType, taken: Iterable<string>): DesignField {
  const key = nextKey(type, taken);
  const label = paletteLabel(type);
  const field: DesignField = { key, type, label: { ...label } };
  switch (type) {
    case 'text':
    case 'lookup':
      field.maxLength = 200;
      break;
    case 'textarea':
      field.maxLength = 4000;
      break;
    case 'member':
    case 'department':
      field.maxLength = 64;
      break;
    case 'money':
      field.currency = 'CNY';
      break;
    case 'select':
    case 'multiselect':
    case 'radio':
    case 'checkbox':
      field.options = [1, 2, 3].map((n) => ({ value: `option${n}`, label: t(`选项${n}`, `Option ${n}`) }));
      break;
    case 'attachment':
    case 'image':
      field.maxFileSize = DEFAULT_FILE_SIZE;
      field.maxItems = 5;
      break;
    case 'serial':
      field.serial = { prefix: 'NO-', digits: 6 };
      break;
    case 'formula':
      field.formula = '';
      field.formulaType = 'number';
      break;
    case 'subform':
      field.columns = [createField('text', []), createField('number', [])];
      break;
    case 'divider':
      field.label = t('', '');
      break;
    case 'description':
      field.label = t('请在此填写说明', 'Write a note here');
      break;
    default:
      break;
  }
  if (type === 'lookup') field.lookup = { form: '', field: '' };
  return field;
}
