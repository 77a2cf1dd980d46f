/**
 * Print templates: admin editing (compiled at save, no unescaped output) and rendering one
 * record to a complete A4 HTML page. Without a template a form prints as a table of its
 * fields with their zh-CN titles. PDF is not produced: the browser's "print to PDF" does it.
 */
import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../errors.ts';
import { readRecord } from '../forms/records.ts';
import { assertMay, formAccess, shapeRecord } from '../access/index.ts';
import type { AuthUser } from '../identity/types.ts';
import { compileOrThrow, hbs, renderTemplate, type FormShape } from '../notifications/handlebars.ts';
import { TEMPLATE_KEY } from '../notifications/templates.ts';
import { getPrintTemplate, upsertPrintTemplate, type PrintTemplate } from '../store/templates.ts';
import { formShape, recordContext } from './recordContext.ts';
import { sanitizePrintBody } from './sanitizePrint.ts';

export const DEFAULT_PRINT_BODY = `<h1>{{formTitle}}</h1>
<table class="fields">
  {{#each fields}}<tr><th>{{title}}</th><td>{{value}}</td></tr>
  {{/each}}
</table>
<p class="meta">编号 {{record.id}} · 创建于 {{date record.createdAt}}</p>`;

const PAGE_CSS = `
  @page { size: A4; margin: 15mm; }
  body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; font-size: 11pt; color: #000; margin: 0 auto; max-width: 180mm; }
  h1 { font-size: 16pt; text-align: center; margin: 0 0 8mm; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #333; padding: 2mm 3mm; text-align: left; vertical-align: top; white-space: pre-wrap; }
  th { width: 30%; background: #f2f2f2; font-weight: 600; }
  .meta { font-size: 9pt; color: #555; margin-top: 6mm; }
  @media print { body { max-width: none; } th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } tr { break-inside: avoid; } }
  @media screen { body { padding: 10mm; } }`;

export function parsePrintTemplate(key: string, body: unknown): Omit<PrintTemplate, 'updatedAt'> {
  if (!TEMPLATE_KEY.test(key)) throw new ValidationError(`Invalid template key "${key}"`, [{ pointer: '/key', message: 'letters, digits, _ . -' }]);
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  for (const name of ['formKey', 'title', 'body'] as const) {
    if (typeof input[name] !== 'string' || !(input[name] as string).trim()) {
      throw new ValidationError(`"${name}" must be a non-empty string`, [{ pointer: `/${name}`, message: 'required' }]);
    }
  }
  compileOrThrow(input.body as string, '/body', { refuseTripleStash: true });
  return { key, formKey: input.formKey as string, title: input.title as string, body: input.body as string };
}

export async function savePrintTemplate(db: Knex, key: string, body: unknown): Promise<PrintTemplate> {
  const template = parsePrintTemplate(key, body);
  await formShape(db, template.formKey); // 404 for a form that does not exist
  return (await upsertPrintTemplate(db, template))!;
}

export async function readPrintTemplate(db: Knex, key: string): Promise<PrintTemplate> {
  const template = await getPrintTemplate(db, key);
  if (!template) throw new NotFoundError(`No print template "${key}"`);
  return template;
}

/**
 * A template saved before save-time checks existed may still fail to render (a partial, an
 * unknown helper): that is a 422 naming the template, not a 500.
 */
function renderStoredTemplate(template: PrintTemplate, context: Record<string, unknown>, form: FormShape): string {
  try {
    return renderTemplate(`print:${template.key}@${template.updatedAt}`, template.body, context, { noEscape: false, form });
  } catch (error) {
    const message = (error as Error).message;
    throw new ValidationError(`Print template "${template.key}" cannot be rendered: ${message}`, [
      { pointer: '/body', message },
    ], 'invalid_template');
  }
}

/**
 * The printable page of one record; 404 for an unknown record or template. With a `reader`,
 * their `print` right on the record applies (engine/access/) and the page shows only what they
 * may see, personal fields masked.
 */
export async function printRecord(db: Knex, formKey: string, recordId: string, templateKey?: string, reader?: AuthUser): Promise<string> {
  const access = reader ? await formAccess(db, reader, formKey) : undefined;
  let record = await readRecord(db, formKey, recordId, reader, access);
  if (access) {
    await assertMay(db, access, 'print', record);
    record = shapeRecord(access, record);
  }
  const template = templateKey ? await readPrintTemplate(db, templateKey) : undefined;
  if (template && template.formKey !== formKey) throw new NotFoundError(`Print template "${templateKey}" is for form "${template.formKey}"`);
  const form = await formShape(db, formKey, record.formVersion);
  const context = recordContext(form, record);
  const body = sanitizePrintBody(
    template ? renderStoredTemplate(template, context, form) : renderTemplate('print:<default>', DEFAULT_PRINT_BODY, context, { noEscape: false, form }),
  );
  const title = hbs.Utils.escapeExpression(template?.title ?? form.title);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
