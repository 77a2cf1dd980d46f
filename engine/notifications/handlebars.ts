/**
 * The one handlebars environment for message and print templates. It is a separate
 * `Handlebars.create()` so our helpers never leak into (or get overridden by) the effect
 * templates in engine/effects/template.ts. Templates are compiled when saved (so a broken
 * one is refused with 422) and cached per (key, updated_at): a save bumps updated_at, which
 * retires the old entry without any explicit invalidation across nodes.
 */
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { ValidationError } from '../errors.ts';
import { templateSyntaxProblems } from './templateSyntax.ts';

export const hbs = Handlebars.create();

/** What the `label` helper needs: the form's JSON Schema and UI schema. */
export interface FormShape {
  schema: Record<string, any>;
  uiSchema: Record<string, any>;
}

export interface RenderOptions {
  /** false = HTML-escape `{{value}}` (in-app, print, HTML); true = plain text (mail text, robot). */
  noEscape: boolean;
  form?: FormShape;
  locale?: 'zh-CN' | 'en';
}

function localeOf(options: Handlebars.HelperOptions): 'zh-CN' | 'en' {
  const asked = options.hash?.locale ?? options.data?.locale;
  return asked === 'en' ? 'en' : 'zh-CN';
}

hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);

/** `{{date received_at}}`, `{{date received_at locale="en"}}`, `{{date d time=false}}`. */
hbs.registerHelper('date', function (value: unknown, options: Handlebars.HelperOptions) {
  if (value === undefined || value === null || value === '') return '';
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(String(value)) || options.hash?.time === false;
  return new Intl.DateTimeFormat(localeOf(options), {
    dateStyle: 'medium',
    ...(dateOnly ? {} : { timeStyle: 'short' }),
    // Business dates are Beijing time; a date-only value is midnight UTC and must not shift.
    timeZone: dateOnly ? 'UTC' : (options.hash?.timeZone ?? 'Asia/Shanghai'),
  }).format(date);
});

/** `{{money amount}}` → ¥12,345.60 */
hbs.registerHelper('money', (value: unknown) => {
  const amount = typeof value === 'number' ? value : Number(value);
  if (value === undefined || value === null || value === '' || !Number.isFinite(amount)) return '';
  return `¥${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
});

/** The display label of an enum value from `ui:enumNames`; the value itself if there is none. */
export function enumLabel(form: FormShape | undefined, field: string, value: unknown, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (value === undefined || value === null) return '';
  const values = form?.schema?.properties?.[field]?.enum as unknown[] | undefined;
  const names = form?.uiSchema?.[field]?.['ui:enumNames'];
  const list: unknown = Array.isArray(names) ? names : names?.[locale];
  const index = values?.indexOf(value) ?? -1;
  return index >= 0 && Array.isArray(list) && typeof list[index] === 'string' ? list[index] : String(value);
}

/** `{{label "severity" severity}}` → 高 */
hbs.registerHelper('label', function (field: unknown, value: unknown, options: Handlebars.HelperOptions) {
  return enumLabel(options.data?.form as FormShape | undefined, String(field), value, localeOf(options));
});

/**
 * 422 with handlebars' message and, when it names one, the line. Besides parsing, it refuses
 * partials, decorators and unknown helpers (templateSyntax.ts), then renders once with no
 * data, which catches what only fails at run time (`{{#if}}` without its argument).
 */
export function compileOrThrow(source: string, pointer: string, options: { refuseTripleStash: boolean }): void {
  try {
    const ast = hbs.parse(source);
    // Precompiling walks the whole program, so unknown block structure errors surface now.
    hbs.precompile(ast);
    if (options.refuseTripleStash && /\{\{\{|\{\{&/.test(source)) {
      throw new ValidationError('Unescaped output ({{{…}}} or {{&…}}) is not allowed in in-app and print templates', [
        { pointer, message: 'Use {{…}}: values from records are HTML-escaped so they cannot inject markup' },
      ]);
    }
    const problems = templateSyntaxProblems(hbs, ast);
    if (problems.length) {
      throw new ValidationError(
        `The template uses what cannot be rendered: ${problems.map((p) => (p.line ? `line ${p.line}: ` : '') + p.message).join('; ')}`,
        problems.map((p) => ({ pointer, message: p.message, ...(p.line ? { line: p.line, column: p.column } : {}) })),
        'invalid_template',
      );
    }
    hbs.compile(ast, { noEscape: !options.refuseTripleStash })({}, { data: { locale: 'zh-CN' } });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = (error as Error).message;
    const line = /on line (\d+)/.exec(message)?.[1] ?? (error as { lineNumber?: number }).lineNumber;
    throw new ValidationError(`The template does not compile: ${message}`, [
      { pointer, message, ...(line !== undefined ? { line: Number(line) } : {}) },
    ], 'invalid_template');
  }
}

const CACHE_LIMIT = 500;
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `source`, compiled once per cacheKey (callers pass `<kind>:<key>@<updated_at>`). */
export function renderTemplate(cacheKey: string, source: string, context: Record<string, unknown>, options: RenderOptions): string {
  // updated_at is shown to the millisecond: two saves within one would share a key, so the
  // source's digest is part of it too.
  const digest = createHash('sha1').update(source).digest('base64url');
  const id = `${options.noEscape ? 't' : 'h'}:${cacheKey}:${digest}`;
  let compiled = cache.get(id);
  if (!compiled) {
    compiled = hbs.compile(source, { noEscape: options.noEscape });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(id, compiled);
  }
  return compiled(context, { data: { form: options.form, locale: options.locale ?? 'zh-CN' } });
}
