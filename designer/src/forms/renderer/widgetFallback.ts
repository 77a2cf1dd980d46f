/**
 * rjsf throws on a `ui:widget` it cannot find for the field's type, and the error took the
 * whole task, record or instance page down (`ui:widget: "attachment"`: the files field's
 * `x-widget` name, not a widget). The server now refuses such names when a form is saved
 * (engine/forms/uiWidgets.ts); forms stored before that are drawn with the default widget
 * for the field's type instead.
 */
import { getDefaultRegistry } from '@rjsf/core';
import { Theme } from '@rjsf/antd';
import { hasWidget, type RegistryWidgetsType, type RJSFSchema } from '@rjsf/utils';
import { formWidgets } from './widgets/index.ts';

type Json = Record<string, any>;

const registeredWidgets: RegistryWidgetsType = { ...getDefaultRegistry().widgets, ...Theme.widgets, ...formWidgets };

/** Whether rjsf can draw `widget` for a field with this schema, with our widgets registered. */
export function isRenderableWidget(schema: Json, widget: unknown): boolean {
  if (typeof widget !== 'string') return false;
  try {
    return hasWidget(schema as RJSFSchema, widget, registeredWidgets);
  } catch {
    return false;
  }
}

/** Removes every `ui:widget` rjsf could not draw, in place, through nested objects and array items. */
export function dropUnknownWidgets(schema: Json | undefined, ui: Json | undefined): void {
  if (!schema || !ui || typeof ui !== 'object') return;
  if ('ui:widget' in ui && !isRenderableWidget(schema, ui['ui:widget'])) {
    console.warn(`Form field widget ${JSON.stringify(ui['ui:widget'])} does not exist; using the default widget`);
    delete ui['ui:widget'];
  }
  for (const [name, inner] of Object.entries((schema.properties ?? {}) as Json)) dropUnknownWidgets(inner as Json, ui[name]);
  if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) dropUnknownWidgets(schema.items as Json, ui.items);
}
