/**
 * Record imports and the .xlsx export as the engine offers them (`engine.imports`,
 * engine/engine.ts). An import is an `import_jobs` row: uploaded (scanned: headers, preview,
 * row count) → started with a mapping and a mode → run on this node in the background
 * (run.ts) → done / failed / cancelled, with a report of the refused rows. The caller needs
 * the `import` action on the form (engine/access/; admins always, a form without groups:
 * admins only); the rows are then written as a trusted bulk add. Only the uploader (or an
 * admin) sees a job. An .xlsx may bring sub-form rows on extra sheets (subformSheets.ts).
 */
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { assertMay, formAccess } from '../access/index.ts';
import { appendAudit } from '../audit/log.ts';
import { NotFoundError, ValidationError, ConflictError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { compiledForm } from '../forms/compiled.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { bodyValidator } from '../forms/validator.ts';
import type { AuthUser } from '../identity/types.ts';
import { getFormVersion } from '../store/forms.ts';
import { loadDirectory } from './convert.ts';
import { exportRecordsXlsx, type XlsxExportStart } from './exportXlsx.ts';
import { autoMapping, fieldTargets, type FieldTarget } from './fieldTargets.ts';
import { prepareRow, type RowPlan } from './pipeline.ts';
import { writeReport } from './report.ts';
import { runImport } from './run.ts';
import { scanFile } from './scan.ts';
import { autoSheetMapping, checkSheetMapping, previewSubRowIndex, sheetViews, subformTargets, subformViews, type SheetMapping, type SubformTarget } from './subformSheets.ts';
import type { FileType } from './sheetRows.ts';
import { UPLOAD_KEPT_MS } from './limits.ts';
import { claimStart, effectiveStatus, expireUploads, getImportJob, insertImportJob, requestCancel, type ImportJobRow } from './store.ts';
import type { ImportJobView, ImportMode, PreviewRow } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const columnMapping = { type: 'array', maxItems: 200, items: { type: ['string', 'null'], maxLength: 200 } };
/** The sub-form sheets' join (subformSheets.ts); absent: the one guessed from the labels. */
const sheetSettings = {
  keyColumn: { type: ['integer', 'null'], minimum: 0, maximum: 199 },
  sheets: {
    type: 'array',
    maxItems: 20,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['subform', 'keyColumn', 'mapping'],
      properties: { subform: { type: ['string', 'null'], maxLength: 200 }, keyColumn: { type: ['integer', 'null'], minimum: 0, maximum: 199 }, mapping: columnMapping },
    },
  },
};

const checkStart = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['mapping', 'mode'],
  properties: {
    ...sheetSettings,
    mapping: { type: 'array', maxItems: 200, items: { type: ['string', 'null'], maxLength: 200 } },
    mode: { enum: ['all_or_nothing', 'skip_bad_rows'] },
    runAutomations: { type: 'boolean' },
    timezoneOffset: { type: 'integer', minimum: -840, maximum: 840 },
  },
});
const checkPreview = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['mapping'],
  properties: {
    ...sheetSettings,
    mapping: { type: 'array', maxItems: 200, items: { type: ['string', 'null'], maxLength: 200 } },
    timezoneOffset: { type: 'integer', minimum: -840, maximum: 840 },
  },
});

export interface ImportDeps {
  db: Knex;
  events: EventBus;
  clock: () => Date;
}

async function formTargets(db: Knex, formKey: string): Promise<{ targets: FieldTarget[]; subforms: SubformTarget[] }> {
  const form = await getFormVersion(db, formKey);
  if (!form) throw new NotFoundError(`No form "${formKey}"`);
  const schema = form.schema as Record<string, any>;
  const uiSchema = (form.uiSchema ?? {}) as Record<string, any>;
  return { targets: fieldTargets(schema, uiSchema), subforms: subformTargets(schema, uiSchema) };
}

async function targetsOf(db: Knex, formKey: string): Promise<FieldTarget[]> {
  return (await formTargets(db, formKey)).targets;
}

type SheetSettings = { keyColumn?: number | null; sheets?: SheetMapping['sheets'] };

/** The join asked for (checked: 422 naming the sheet and column), else the one guessed from the labels. */
function chosenSheets(job: ImportJobRow, settings: SheetSettings, subforms: SubformTarget[], en: boolean): SheetMapping {
  const auto = job.sheet_mapping ?? autoSheetMapping(job.headers, job.sheets, subforms);
  if (settings.sheets === undefined && settings.keyColumn === undefined) return auto;
  const chosen: SheetMapping = { keyColumn: settings.keyColumn === undefined ? auto.keyColumn : settings.keyColumn, sheets: settings.sheets ?? auto.sheets };
  checkSheetMapping(chosen, job.headers, job.sheets, subforms, en);
  return chosen;
}

/** 422 unless the mapping has one entry per column, each an importable field named at most once. */
function checkMapping(mapping: (string | null)[], headers: string[], targets: FieldTarget[], en: boolean): void {
  const names = new Set(targets.map((t) => t.name));
  const details: { pointer: string; message: string }[] = [];
  if (mapping.length !== headers.length) {
    details.push({ pointer: '/mapping', message: en ? `must have ${headers.length} entries, one per column` : `应有 ${headers.length} 项，每列一项` });
  }
  const seen = new Set<string>();
  mapping.forEach((field, i) => {
    if (field === null) return;
    if (!names.has(field)) details.push({ pointer: `/mapping/${i}`, message: en ? `"${field}" is not a field rows can be imported into` : `「${field}」不是可导入的字段` });
    else if (seen.has(field)) details.push({ pointer: `/mapping/${i}`, message: en ? `"${field}" is mapped twice` : `「${field}」被映射了两次` });
    seen.add(field);
  });
  if (!mapping.some((field) => field !== null)) details.push({ pointer: '/mapping', message: en ? 'map at least one column to a field' : '至少把一列对应到字段' });
  if (details.length) throw new ValidationError(en ? 'Invalid column mapping' : '列与字段的对应有误', details);
}

export function importsApi(deps: ImportDeps) {
  const { db } = deps;
  /** Runs in flight on this node (tests and shutdown may wait for them). */
  const running = new Map<string, Promise<void>>();

  async function plan(formKey: string, mapping: (string | null)[], user: AuthUser, locale: MessageLocale, timezoneOffset: number, targets: FieldTarget[], join?: { job: ImportJobRow; sheets: SheetMapping; subforms: SubformTarget[] }): Promise<RowPlan> {
    const sheets = (join?.sheets.sheets ?? []).map((entry, i) => {
      const subform = join!.subforms.find((s) => s.name === entry.subform);
      if (!subform || entry.keyColumn === null) return null;
      return { name: join!.job.sheets[i]!.name, subform: subform.name, keyColumn: entry.keyColumn, mapping: entry.mapping, targets: new Map(subform.targets.map((t) => [t.name, t])) };
    });
    return {
      form: await compiledForm(db, formKey),
      mapping,
      targets: new Map(targets.map((t) => [t.name, t])),
      convert: { directory: await loadDirectory(db), timezoneOffset, en: locale === 'en' },
      locale,
      sheets,
      keyColumn: sheets.some(Boolean) ? (join?.sheets.keyColumn ?? null) : null,
    };
  }

  async function view(job: ImportJobRow, user: AuthUser, locale: MessageLocale, mapping?: (string | null)[], timezoneOffset = 0, sheetSettings: SheetSettings = {}): Promise<ImportJobView> {
    const { targets, subforms } = await formTargets(db, job.form_key);
    const en = locale === 'en';
    const chosen = mapping ?? job.mapping ?? autoMapping(job.headers, targets);
    const joined = chosenSheets(job, sheetSettings, subforms, en);
    let preview: PreviewRow[] = job.preview.map((row) => ({ ...row, data: {}, errors: [] }));
    // Checked only while the mapping is being chosen: a status poll during the run need not redo it.
    if (job.status === 'uploaded' && chosen.some((field) => field !== null) && chosen.length === job.headers.length) {
      const rowPlan = await plan(job.form_key, chosen, user, locale, timezoneOffset, targets, { job, sheets: joined, subforms });
      // Sub-form lines come from the first lines of each sheet kept at upload: enough to see the join work.
      const lines = previewSubRowIndex(job.sheets, joined);
      preview = [];
      for (const row of job.preview) {
        const mine = rowPlan.keyColumn !== null ? (lines.get(String(row.cells[rowPlan.keyColumn] ?? '').trim()) ?? []) : [];
        const prepared = await prepareRow(rowPlan, row.cells, mine);
        preview.push({ ...row, data: prepared.data ?? {}, errors: prepared.errors, ...(rowPlan.keyColumn !== null ? { subRows: mine.length } : {}) });
      }
    }
    const notice =
      job.file_type === 'csv' && subforms.length > 0
        ? en
          ? 'A CSV file holds one table: sub-form rows cannot be imported from it. To bring them in, use an .xlsx with one sheet per sub-form, joined to the main sheet by a key column.'
          : 'CSV 文件只有一张表，无法导入子表单的行。如需导入子表单，请使用 .xlsx：每个子表单一个工作表，通过关联列与主表对应。'
        : null;
    const status = effectiveStatus(job, deps.clock());
    const until = job.finished_at ?? job.heartbeat_at;
    const elapsedMs = job.started_at && until ? until.getTime() - job.started_at.getTime() : 0;
    const rowsPerSecond = elapsedMs > 0 ? Math.round((job.rows_done / elapsedMs) * 1000) : null;
    const running = status === 'running' || status === 'cancelling';
    return {
      id: job.id,
      formKey: job.form_key,
      fileName: job.file_name,
      fileType: job.file_type,
      status,
      headers: job.headers,
      mapping: chosen,
      fields: targets.map((t) => ({ name: t.name, title: t.title, required: t.required })),
      preview,
      keyColumn: joined.keyColumn,
      sheets: sheetViews(job.sheets, joined),
      subforms: subformViews(subforms),
      notice,
      mode: job.mode,
      runAutomations: job.run_automations,
      totalRows: job.total_rows,
      rowsDone: job.rows_done,
      imported: job.imported,
      refused: job.refused,
      rowsPerSecond,
      etaSeconds: running && rowsPerSecond ? Math.ceil((job.total_rows - job.rows_done) / rowsPerSecond) : null,
      error: job.error,
      createdAt: job.created_at.toISOString(),
      startedAt: job.started_at?.toISOString() ?? null,
      finishedAt: job.finished_at?.toISOString() ?? null,
    };
  }

  /** The job if `user` may see it (its uploader or an admin), else 404. */
  async function jobFor(formKey: string, id: string, user: AuthUser): Promise<ImportJobRow> {
    const job = UUID.test(id) ? await getImportJob(db, formKey, id) : undefined;
    if (!job || (job.created_by !== user.id && user.role !== 'admin')) throw new NotFoundError(`No import ${id} of form "${formKey}"`);
    return job;
  }

  async function assertMayImport(user: AuthUser, formKey: string): Promise<void> {
    await assertMay(db, await formAccess(db, user, formKey), 'import');
  }

  return {
    assertMayImport,
    /** Scans an uploaded file (at `path`, owned by the import from now on) and records the import. */
    async create(input: { formKey: string; user: AuthUser; locale: MessageLocale; fileName: string; fileType: FileType; path: string }): Promise<ImportJobView> {
      // Abandoned uploads (the dialog closed before start) give their disk back here; a file on another node's disk stays.
      for (const stale of await expireUploads(db, deps.clock(), UPLOAD_KEPT_MS)) await rm(stale, { force: true });
      try {
        await assertMayImport(input.user, input.formKey);
        const scanned = await scanFile(input.path, input.fileType, input.locale === 'en');
        const job = await insertImportJob(db, {
          formKey: input.formKey,
          createdBy: input.user.id,
          fileName: input.fileName.slice(0, 255),
          fileType: input.fileType,
          filePath: input.path,
          headers: scanned.headers,
          preview: scanned.preview,
          totalRows: scanned.totalRows,
          sheets: scanned.sheets,
        });
        return await view(job, input.user, input.locale);
      } catch (error) {
        await rm(input.path, { force: true });
        throw error;
      }
    },
    async get(formKey: string, id: string, user: AuthUser, locale: MessageLocale): Promise<ImportJobView> {
      return view(await jobFor(formKey, id, user), user, locale);
    },
    /** The preview under another mapping (nothing saved). */
    async preview(formKey: string, id: string, user: AuthUser, locale: MessageLocale, body: unknown): Promise<ImportJobView> {
      checkPreview(body, locale);
      const { mapping, timezoneOffset, ...sheetSettings } = body as { mapping: (string | null)[]; timezoneOffset?: number } & SheetSettings;
      const job = await jobFor(formKey, id, user);
      checkMapping(mapping, job.headers, await targetsOf(db, formKey), locale === 'en');
      return view(job, user, locale, mapping, timezoneOffset ?? 0, sheetSettings);
    },
    /**
     * Starts the run in the background; answers at once with the job (status `running`). The
     * audit row (`record.import`: who, which file, how many rows, into which form) commits with
     * the claim, before any record is written; the outcome is the job's.
     */
    async start(formKey: string, id: string, user: AuthUser, locale: MessageLocale, body: unknown, ip: string | null = null): Promise<ImportJobView> {
      checkStart(body, locale);
      const settings = body as { mapping: (string | null)[]; mode: ImportMode; runAutomations?: boolean; timezoneOffset?: number } & SheetSettings;
      const job = await jobFor(formKey, id, user);
      await assertMayImport(user, formKey);
      const { targets, subforms } = await formTargets(db, formKey);
      checkMapping(settings.mapping, job.headers, targets, locale === 'en');
      const sheetMapping = chosenSheets(job, settings, subforms, locale === 'en');
      const rowPlan = await plan(formKey, settings.mapping, user, locale, settings.timezoneOffset ?? 0, targets, { job, sheets: sheetMapping, subforms });
      const runAutomations = settings.runAutomations ?? false;
      const claimed = await db.transaction(async (trx) => {
        if (!(await claimStart(trx, job.id, { mapping: settings.mapping, sheetMapping, mode: settings.mode, runAutomations }, deps.clock()))) return false;
        await appendAudit(trx, {
          actor: user,
          action: 'record.import',
          formKey,
          subject: `${job.file_name}: ${job.total_rows} rows`,
          details: { importId: job.id, fileName: job.file_name, fileType: job.file_type, rows: job.total_rows, mode: settings.mode, runAutomations },
          ip,
        });
        return true;
      });
      if (!claimed) throw new ConflictError(locale === 'en' ? 'This import was already started or cancelled' : '该导入已开始或已取消');
      const started = (await getImportJob(db, formKey, job.id))!;
      const run = runImport(deps, started, rowPlan, user, { mode: settings.mode, runAutomations })
        .catch(() => {}) // runImport records its own failure on the job
        .finally(() => running.delete(job.id));
      running.set(job.id, run);
      return view(started, user, locale);
    },
    async cancel(formKey: string, id: string, user: AuthUser, locale: MessageLocale): Promise<ImportJobView> {
      const job = await jobFor(formKey, id, user);
      await requestCancel(db, job.id, deps.clock());
      if (job.status === 'uploaded') await rm(job.file_path, { force: true });
      return view((await getImportJob(db, formKey, id))!, user, locale);
    },
    async report(formKey: string, id: string, user: AuthUser, out: Writable, locale: MessageLocale): Promise<void> {
      await writeReport(db, await jobFor(formKey, id, user), out, locale === 'en');
    },
    /** For tests and shutdown: resolves when the runs in flight on this node have ended. */
    async idle(): Promise<void> {
      await Promise.all([...running.values()]);
    },
    exportXlsx: (user: AuthUser, formKey: string, params: Iterable<[string, string]>, out: Writable, options: { ip?: string | null; begin: (start: XlsxExportStart) => void }) =>
      exportRecordsXlsx(db, user, formKey, params, out, options),
  };
}

export type ImportsApi = ReturnType<typeof importsApi>;
