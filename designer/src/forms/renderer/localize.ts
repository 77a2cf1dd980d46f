/**
 * Turns a stored form (schema + uiSchema with localized texts and `x-` annotations) into
 * what rjsf renders for one user: texts picked for the locale, node field permissions
 * applied, and our widgets chosen from the schema annotations (so stored forms need no
 * `ui:widget` for member/department/lookup/formula/serial/money/files/signature/address).
 */
import { pickText, type Locale, type LocalizedText } from '../../i18n/i18n.tsx';
import type { FieldAccess } from './FormRenderer.tsx';

type Json = Record<string, any>;
const TEXT_KEYS = ['ui:title', 'ui:description', 'ui:help', 'ui:placeholder'];

const ADDRESS_PARTS: Record<string, [string, string]> = {
  province: ['省/直辖市', 'Province'],
  city: ['市', 'City'],
  district: ['区/县', 'District'],
  detail: ['详细地址', 'Street address'],
};

const X_WIDGETS: Record<string, string> = {
  'user-picker': 'user-picker',
  'department-picker': 'department-picker',
  money: 'money',
  signature: 'signature',
  attachment: 'files',
  image: 'files',
};

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * Schema `description`s are notes for developers (English, see the templates); what users
 * read is the localized `ui:help` / `ui:description`. Drop them from what rjsf renders.
 */
function withoutDescriptions(schema: unknown): void {
  if (Array.isArray(schema)) schema.forEach(withoutDescriptions);
  else if (schema && typeof schema === 'object') {
    const node = schema as Json;
    if (typeof node.description === 'string') delete node.description;
    for (const key of ['properties', 'items']) {
      const inner = node[key];
      if (key === 'properties' && inner && typeof inner === 'object') Object.values(inner).forEach(withoutDescriptions);
      else if (key === 'items') withoutDescriptions(inner);
    }
  }
}

/** Picks every localized text in a uiSchema subtree; `ui:enumNames` may be `{zh-CN: [...], en: [...]}`. */
export function localizeUi(ui: Json | undefined, locale: Locale): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(ui ?? {})) {
    if (TEXT_KEYS.includes(key)) out[key] = pickText(value as LocalizedText, locale);
    else if (key === 'ui:enumNames' && value && !Array.isArray(value) && typeof value === 'object') {
      out[key] = (value as Json)[locale] ?? (value as Json)['zh-CN'] ?? Object.values(value)[0];
    } else if (key.startsWith('x-') || Array.isArray(value) || !value || typeof value !== 'object') out[key] = value;
    else out[key] = localizeUi(value as Json, locale);
  }
  return out;
}

/** Chooses widgets/templates for one field from its schema annotations, recursing into rows and objects. */
function decorate(schema: Json, ui: Json, locale: Locale): Json {
  const out: Json = { ...ui };
  const xWidget = schema['x-widget'] as string | undefined;
  if (!out['ui:widget'] && !out['ui:field']) {
    if (typeof schema['x-formula'] === 'string') out['ui:widget'] = 'formula';
    else if (schema['x-serial']) out['ui:widget'] = 'serial';
    else if (schema['x-lookup']) out['ui:widget'] = 'lookup';
    else if (xWidget && X_WIDGETS[xWidget]) out['ui:widget'] = X_WIDGETS[xWidget];
  }
  if (schema.type === 'array' && schema.items?.enum && out['ui:enumNames']) {
    out.items = { ...(out.items ?? {}), 'ui:enumNames': out['ui:enumNames'] };
  }
  if (schema.type === 'object' && schema.properties) {
    const en = locale === 'en' ? 1 : 0;
    const address = xWidget === 'address';
    for (const [name, inner] of Object.entries(schema.properties as Json)) {
      const innerUi = { ...(out[name] ?? {}) };
      if (address && !innerUi['ui:placeholder']) innerUi['ui:placeholder'] = ADDRESS_PARTS[name]?.[en] ?? name;
      if (address) innerUi['ui:label'] = false;
      out[name] = decorate(inner as Json, innerUi, locale);
    }
    if (address) {
      out['ui:ObjectFieldTemplate'] = 'inline';
      out['ui:order'] = [...Object.keys(ADDRESS_PARTS).filter((p) => p in schema.properties), '*'];
    }
  }
  if (schema.type === 'array' && schema.items?.type === 'object' && !out['ui:widget']) {
    const rowUi = decorate(schema.items, { ...(out.items ?? {}) }, locale);
    for (const name of Object.keys(schema.items.properties ?? {})) rowUi[name] = { ...(rowUi[name] ?? {}), 'ui:label': false };
    rowUi['ui:ObjectFieldTemplate'] = 'row';
    out.items = rowUi;
    out['ui:ArrayFieldTemplate'] = 'subform';
  }
  return out;
}

/** Applies node permissions: hidden fields leave the schema, required ones join `required`. */
function applyPermissions(schema: Json, ui: Json, permissions: Record<string, FieldAccess>): void {
  const properties = (schema.properties ?? {}) as Json;
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  for (const [name, access] of Object.entries(permissions)) {
    if (!(name in properties)) continue;
    if (access === 'hidden') {
      delete properties[name];
      required.delete(name);
      delete ui[name];
      // A conditional "required while visible" on a hidden field cannot be met: drop it.
      for (const branch of Array.isArray(schema.allOf) ? schema.allOf : []) {
        if (Array.isArray(branch?.then?.required)) branch.then.required = branch.then.required.filter((r: string) => r !== name);
      }
    } else if (access === 'required') required.add(name);
    else if (access === 'readonly') ui[name] = { ...(ui[name] ?? {}), 'ui:disabled': true };
  }
  schema.required = [...required];
  // Data may still carry a hidden field's value; the browser must not call it "not allowed".
  if (Object.values(permissions).includes('hidden')) delete schema.additionalProperties;
}

/**
 * The schema and uiSchema rjsf gets for one rendering. Templates are named by string here
 * ('root', 'row', 'inline', 'subform'); FormRenderer swaps in the components.
 */
export function prepareForm(
  storedSchema: Json,
  storedUi: Json | undefined,
  locale: Locale,
  permissions: Record<string, FieldAccess> | undefined,
  dropUnknownWidgets?: (schema: Json, ui: Json) => void,
): { schema: Json; uiSchema: Json } {
  const schema = clone(storedSchema) ?? { type: 'object' };
  withoutDescriptions(schema);
  const ui = localizeUi(clone(storedUi), locale);
  delete ui['ui:title']; // the form title is the page's, not repeated inside the form
  // Before decorate, so a files field whose stored widget is unknown still gets ours.
  dropUnknownWidgets?.(schema, ui);
  applyPermissions(schema, ui, permissions ?? {});
  for (const [name, inner] of Object.entries((schema.properties ?? {}) as Json)) {
    ui[name] = decorate(inner as Json, ui[name] ?? {}, locale);
  }
  ui['ui:ObjectFieldTemplate'] = 'root';
  return { schema, uiSchema: ui };
}
