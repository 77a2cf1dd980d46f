/**
 * `ui:widget` names the designer's renderer can draw (rjsf + antd + ours). rjsf throws on a
 * name it does not know — the whole task, record or instance page went blank for
 * `ui:widget: "attachment"` (the `x-widget` name of a files field, not a widget) — so an
 * unknown name is refused when the form is saved, with its pointer. The renderer also falls
 * back to the default widget (designer/src/forms/renderer/widgetFallback.ts) for forms
 * stored before this check.
 */
import { pointerToken, ValidationError, type ErrorDetail } from '../errors.ts';

/** Ours (designer/src/forms/renderer/widgets/index.ts): registered, so usable on any type. */
const OWN_WIDGETS = ['money', 'serial', 'formula', 'user-picker', 'department-picker', 'lookup', 'files', 'signature'];

/** rjsf's registered widget components (getDefaultRegistry().widgets), also valid names. */
const REGISTERED_RJSF_WIDGETS = [
  'AltDateWidget', 'AltDateTimeWidget', 'CheckboxWidget', 'CheckboxesWidget', 'ColorWidget', 'DateWidget',
  'DateTimeWidget', 'EmailWidget', 'FileWidget', 'HiddenWidget', 'PasswordWidget', 'RadioWidget', 'RangeWidget',
  'RatingWidget', 'SelectWidget', 'TextWidget', 'TextareaWidget', 'TimeWidget', 'UpDownWidget', 'URLWidget',
];

/** rjsf's short names per schema type (@rjsf/utils getWidget's widgetMap). */
const WIDGETS_BY_TYPE: Record<string, string[]> = {
  boolean: ['checkbox', 'radio', 'select', 'hidden'],
  string: ['text', 'password', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'data-url', 'radio', 'select', 'textarea',
    'hidden', 'date', 'datetime', 'date-time', 'alt-date', 'alt-datetime', 'time', 'color', 'file'],
  number: ['text', 'select', 'updown', 'range', 'radio', 'hidden'],
  integer: ['text', 'select', 'updown', 'range', 'radio', 'hidden'],
  array: ['select', 'checkboxes', 'files', 'hidden'],
};

type Json = Record<string, any>;

/** The field's type as rjsf reads it: the first non-null of a type list. */
function typeOf(schema: Json | undefined): string | undefined {
  const type = schema?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null');
  return undefined;
}

/** Widget names usable on a field of this type (every type's when the schema names none). */
export function widgetsFor(type: string | undefined): string[] {
  const short = type === undefined ? Object.values(WIDGETS_BY_TYPE).flat() : (WIDGETS_BY_TYPE[type] ?? []);
  return [...new Set([...OWN_WIDGETS, ...REGISTERED_RJSF_WIDGETS, ...short])];
}

function collect(schema: Json | undefined, ui: unknown, pointer: string, details: ErrorDetail[]): void {
  if (!ui || typeof ui !== 'object' || Array.isArray(ui)) return;
  const uiNode = ui as Json;
  const widget = uiNode['ui:widget'];
  if (widget !== undefined) {
    const type = typeOf(schema);
    const known = widgetsFor(type);
    if (typeof widget !== 'string' || !known.includes(widget)) {
      details.push({
        pointer: `${pointer}/ui:widget`,
        message: `unknown widget ${JSON.stringify(widget)} for a${type ? ` ${type}` : ''} field; use one of ${known.filter((w) => !/Widget$/.test(w)).join(', ')}` +
          (widget === 'attachment' || widget === 'image' ? ' (attachments are chosen by "x-widget" in the schema)' : ''),
      });
    }
  }
  const properties = schema?.properties as Json | undefined;
  if (properties && typeof properties === 'object') {
    for (const [name, inner] of Object.entries(properties)) collect(inner as Json, uiNode[name], `${pointer}/${pointerToken(name)}`, details);
  }
  if (schema?.items && typeof schema.items === 'object') collect(schema.items as Json, uiNode.items, `${pointer}/items`, details);
}

/** 422 naming every `ui:widget` the renderer could not draw (pointers into `/uiSchema`). */
export function assertKnownWidgets(schema: Json, uiSchema: Json): void {
  const details: ErrorDetail[] = [];
  const properties = (schema.properties ?? {}) as Json;
  for (const [name, inner] of Object.entries(properties)) collect(inner as Json, uiSchema[name], `/uiSchema/${pointerToken(name)}`, details);
  if (details.length) throw new ValidationError('The uiSchema names widgets that do not exist', details, 'invalid_ui_schema');
}
