/**
 * Renders a stored form (JSON Schema 2020-12 + uiSchema) with rjsf + antd, validating in the
 * browser with Ajv2020 + ajv-formats — the dialect the server uses — so what passes here
 * passes there. Adds: localized texts, node field permissions, our widgets (see
 * forms/model/fieldTypes.ts for how each field type is stored), live formulas, visibility
 * rules, and the server's 422 details shown beside the fields they point at.
 *
 * Every top-level field sits in a `data-testid="field-<name>"` wrapper that also holds its
 * error text.
 */
import { forwardRef, useImperativeHandle, useMemo, useRef, useState, type ReactNode } from 'react';
import Form from '@rjsf/antd';
import type { RJSFValidationError } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type Ajv from 'ajv';
import { useLocale, type Locale } from '../../i18n/i18n.tsx';
import { applyFormulas } from '../model/formula.ts';
import { ruleHolds, type VisibilityRule } from '../model/visibility.ts';
import { ajvLocalizer, serverErrorSchema } from './errors.ts';
import { prepareForm } from './localize.ts';
import { InlineTemplate, RootTemplate, RowTemplate, SubformTemplate } from './templates.tsx';
import { dropUnknownWidgets } from './widgetFallback.ts';
import { formWidgets } from './widgets/index.ts';

export type FieldAccess = 'hidden' | 'readonly' | 'editable' | 'required';
export interface FormRendererHandle {
  /** Validates; calls onSubmit with the data when valid, else shows errors beside the fields. */
  submit(): void;
}
export interface FormRendererProps {
  schema: Record<string, unknown>;
  uiSchema?: Record<string, unknown>;
  formData?: Record<string, unknown>;
  permissions?: Record<string, FieldAccess>;
  serverErrors?: { pointer: string; message: string }[];
  readOnly?: boolean;
  onChange?(data: Record<string, unknown>): void;
  onSubmit?(data: Record<string, unknown>): void;
  children?: ReactNode;
}

const validators: Partial<Record<Locale, ReturnType<typeof customizeValidator>>> = {};
/** One validator per locale (its localizer rewrites ajv's messages); `x-` annotations are ignored, not refused. */
function validatorFor(locale: Locale) {
  return (validators[locale] ??= customizeValidator(
    { AjvClass: Ajv2020 as unknown as typeof Ajv, ajvOptionsOverrides: { strict: false, allowUnionTypes: true } },
    ajvLocalizer(locale),
  ));
}

const TEMPLATES: Record<string, unknown> = { root: RootTemplate, row: RowTemplate, inline: InlineTemplate, subform: SubformTemplate };
const TEMPLATE_KEYS = ['ui:ObjectFieldTemplate', 'ui:ArrayFieldTemplate'];

/** Swaps the template names prepareForm wrote for the components. */
function resolveTemplates(ui: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(ui)) {
    if (TEMPLATE_KEYS.includes(key) && typeof value === 'string') out[key] = TEMPLATES[value];
    else if (value && typeof value === 'object' && !Array.isArray(value) && !key.startsWith('x-')) out[key] = resolveTemplates(value);
    else out[key] = value;
  }
  return out;
}

/** Drops values of fields whose visibility rule says hidden: they are not part of what the user submits. */
function withoutHidden(data: Record<string, unknown>, ui: Record<string, any>): Record<string, unknown> {
  let out = data;
  for (const [name, fieldUi] of Object.entries(ui)) {
    const rule = fieldUi?.['x-visibleWhen'] as VisibilityRule | undefined;
    if (rule && name in out && !ruleHolds(rule, out)) {
      out = { ...out };
      delete out[name];
    }
  }
  return out;
}

/** rjsf reports `if` failures next to their `then` ones: keep only the useful one. */
function transformErrors(errors: RJSFValidationError[]): RJSFValidationError[] {
  return errors.filter((e) => e.name !== 'if');
}

export const FormRenderer = forwardRef<FormRendererHandle, FormRendererProps>(function FormRenderer(props, ref) {
  const { locale } = useLocale();
  const formRef = useRef<any>(null);
  const [own, setOwn] = useState<Record<string, unknown>>(() => applyFormulas(props.schema, props.formData ?? {}));
  const data = props.onChange && props.formData ? applyFormulas(props.schema, props.formData) : own;

  const prepared = useMemo(() => {
    const { schema, uiSchema } = prepareForm(props.schema, props.uiSchema, locale, props.permissions, dropUnknownWidgets);
    return { schema, uiSchema: resolveTemplates(uiSchema) };
  }, [props.schema, props.uiSchema, locale, props.permissions]);
  const extraErrors = useMemo(() => serverErrorSchema(props.serverErrors), [props.serverErrors]);

  useImperativeHandle(ref, () => ({ submit: () => formRef.current?.submit() }), []);

  const change = (next: Record<string, unknown>) => {
    const computed = withoutHidden(applyFormulas(props.schema, next ?? {}), prepared.uiSchema);
    setOwn(computed);
    props.onChange?.(computed);
  };

  return (
    <Form
      ref={formRef}
      schema={prepared.schema}
      uiSchema={prepared.uiSchema}
      formData={data}
      validator={validatorFor(locale)}
      widgets={formWidgets}
      formContext={{ locale, labelAlign: 'left' }}
      extraErrors={extraErrors}
      disabled={props.readOnly}
      showErrorList={false}
      noHtml5Validate
      focusOnFirstError
      transformErrors={transformErrors}
      onChange={(e) => change(e.formData as Record<string, unknown>)}
      onSubmit={(e) => props.onSubmit?.(withoutHidden(applyFormulas(props.schema, (e.formData ?? {}) as Record<string, unknown>), prepared.uiSchema))}
    >
      {props.children ?? <></>}
    </Form>
  );
});
