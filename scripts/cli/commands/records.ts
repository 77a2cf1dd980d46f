/**
 * `import-records <form> <file>` over the import API (server/routes/imports.ts,
 * engine/imports/): upload (streamed from disk) → the server's column mapping, adjusted with
 * --map → start → poll the job until it ends, with a progress bar. And `export-records
 * <form>`: the CSV or .xlsx export of a filtered, sorted view, streamed to a file or stdout.
 */
import { createWriteStream, existsSync, openAsBlob, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { Client } from '../client.ts';
import { runOf } from '../command.ts';
import { CliError, EXIT, emit, usageError, type Io } from '../io.ts';
import { collect, parseFilter } from '../options.ts';
import { createProgress } from '../progress.ts';

interface ImportJob {
  id: string;
  status: string;
  headers: string[];
  mapping: (string | null)[];
  fields: { name: string; title: Record<string, string>; required: boolean }[];
  preview: { rowNumber: number; cells: unknown[]; errors: { field: string | null; message: string }[] }[];
  totalRows: number;
  rowsDone: number;
  imported: number;
  refused: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

const ENDED = new Set(['done', 'failed', 'cancelled', 'interrupted']);
const SAMPLE = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `--map 列=field`, `--map 列=` (not imported), `--map '#3=field'` (the third column). */
function applyMap(headers: string[], mapping: (string | null)[], overrides: string[]): (string | null)[] {
  const result = [...mapping];
  for (const entry of overrides) {
    const at = entry.lastIndexOf('=');
    if (at <= 0) throw usageError(`--map "${entry}": write it as column=field (column= to leave a column out)`);
    const column = entry.slice(0, at).trim();
    const field = entry.slice(at + 1).trim();
    const index = /^#\d+$/.test(column) ? Number(column.slice(1)) - 1 : headers.findIndex((header) => header.trim() === column);
    if (index < 0 || index >= headers.length) {
      throw usageError(`--map: the file has no column "${column}". Its columns: ${headers.map((h, i) => `#${i + 1} ${h}`).join(', ')}`);
    }
    result[index] = field || null;
  }
  return result;
}

function mappingText(job: ImportJob, mapping: (string | null)[]): string {
  const title = (name: string) => job.fields.find((f) => f.name === name)?.title?.en ?? name;
  return mapping.map((field, i) => `  ${job.headers[i]} → ${field ? `${field}${title(field) !== field ? ` (${title(field)})` : ''}` : '(not imported)'}`).join('\n');
}

/** The first refused rows from the report (.xlsx: row number, errors, then the cells). */
async function refusedSample(response: Response, keepAs: string | undefined): Promise<{ row: number; errors: string }[]> {
  const sample: { row: number; errors: string }[] = [];
  const body = Readable.fromWeb(response.body as any);
  if (keepAs) {
    await pipeline(body, createWriteStream(keepAs));
  }
  // Loaded only here: exceljs takes longer to load than the rest of the CLI together.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(keepAs ?? body, {});
  outer: for await (const sheet of reader) {
    for await (const row of sheet) {
      if (row.number === 1) continue;
      const values = row.values as unknown[];
      sample.push({ row: Number(values[1]), errors: String(values[2] ?? '') });
      if (sample.length >= SAMPLE) break outer;
    }
  }
  body.destroy();
  return sample;
}

async function runImport(io: Io, client: Client, form: string, job: ImportJob, abandon: () => Promise<unknown>, start: Record<string, unknown>): Promise<ImportJob> {
  const base = `/api/forms/${encodeURIComponent(form)}/imports/${job.id}`;
  // A refused start (a field mapped twice, a required one missing) leaves an upload nobody will run.
  let current = await client.json<ImportJob>('POST', `${base}/start`, start).catch(async (error: unknown) => {
    await abandon();
    throw error;
  });
  const progress = createProgress(io);
  let cancelling = false;
  // Ctrl-C cancels the import on the server (nothing stays of an all-or-nothing run) and waits for it to stop.
  const stopListening = io.onInterrupt(() => {
    if (cancelling) return;
    cancelling = true;
    io.err('\nCancelling the import…\n');
    client.json('POST', `${base}/cancel`).catch(() => undefined);
  });
  try {
    let interval = 200;
    while (!ENDED.has(current.status)) {
      progress.update(current);
      await sleep(interval);
      interval = Math.min(1000, interval + 100);
      current = await client.json<ImportJob>('GET', base);
    }
    progress.done(current);
    return current;
  } finally {
    stopListening();
  }
}

export function registerRecords(program: Command, io: Io): void {
  program
    .command('import-records')
    .description('import rows of an .xlsx or .csv file into a form: columns matched to fields by label (zh-CN or en) or key, validated like every write')
    .argument('<form>', 'the form key')
    .argument('<file>', 'the .xlsx or .csv file')
    .option('--map <column=field>', 'map a column (by header, or #n for the n-th) to a field, or leave it out with "column="; repeat for more', collect)
    .addOption(new Option('--mode <mode>', 'all: nothing is imported if any row is refused; skip: good rows are imported, refused ones reported').choices(['all', 'skip']).default('all'))
    .option('--automations', "run the form's automations and routing for the imported records")
    .option('--report <file>', 'save the refused rows (row number, errors, cells) as .xlsx, to fix and import again')
    .option('--dry-run', 'upload and show the mapping and the preview rows with their errors; import nothing')
    .action(async (form: string, file: string, options: { map?: string[]; mode: 'all' | 'skip'; automations?: boolean; report?: string; dryRun?: boolean }, command: Command) => {
      const run = runOf(io, command);
      const source = path.resolve(io.cwd, file);
      if (!existsSync(source)) throw usageError(`${file} does not exist`);
      const client = run.client();
      const upload = new FormData();
      // A file-backed Blob: the file is streamed to the server, never read whole into memory.
      upload.append('file', await openAsBlob(source), path.basename(source));
      const formPath = `/api/forms/${encodeURIComponent(form)}/imports`;
      const job = (await (await client.raw('POST', formPath, { body: upload })).json()) as ImportJob;
      // An upload that will not run gives its temporary file back at once (else the server expires it later).
      const abandon = () => client.json('POST', `${formPath}/${job.id}/cancel`).catch(() => undefined);
      let mapping: (string | null)[];
      try {
        mapping = applyMap(job.headers, job.mapping, options.map ?? []);
      } catch (error) {
        await abandon();
        throw error;
      }
      const timezoneOffset = new Date().getTimezoneOffset();
      if (!run.json) io.err(`${path.basename(source)}: ${job.totalRows} rows, columns:\n${mappingText(job, mapping)}\n`);

      if (options.dryRun) {
        const preview = await client.json<ImportJob>('POST', `${formPath}/${job.id}/preview`, { mapping, timezoneOffset }).finally(abandon);
        emit(io, run.json, { id: job.id, totalRows: job.totalRows, headers: job.headers, mapping, preview: preview.preview }, () =>
          preview.preview
            .map((row) => `row ${row.rowNumber}: ${row.errors.length ? row.errors.map((e) => `${e.field ?? ''} ${e.message}`.trim()).join('; ') : 'ok'}`)
            .join('\n') + `\nDry run: nothing imported (preview of the first ${preview.preview.length} rows).`,
        );
        return;
      }

      const ended = await runImport(io, client, form, job, abandon, {
        mapping,
        mode: options.mode === 'all' ? 'all_or_nothing' : 'skip_bad_rows',
        runAutomations: Boolean(options.automations),
        timezoneOffset,
      });
      const refusedRows = ended.refused > 0
        ? await refusedSample(await client.raw('GET', `${formPath}/${job.id}/report`), options.report && path.resolve(io.cwd, options.report))
        : [];
      const seconds = ended.startedAt && ended.finishedAt ? (Date.parse(ended.finishedAt) - Date.parse(ended.startedAt)) / 1000 : null;
      const { preview: _preview, fields: _fields, ...summary } = ended;
      const result = { ...summary, seconds, refusedRows, report: ended.refused > 0 && options.report ? path.resolve(io.cwd, options.report) : null };
      const refusedText = refusedRows.length
        ? `\nRefused rows${ended.refused > refusedRows.length ? ` (first ${refusedRows.length} of ${ended.refused})` : ''}:\n` +
          refusedRows.map((r) => `  row ${r.row}: ${r.errors.replace(/\n/g, '; ')}`).join('\n') +
          (result.report ? `\nAll refused rows: ${result.report}` : '\nSave them all with --report <file.xlsx>.')
        : '';
      // Skip mode ends `done` even when every row was refused: for a script that is a refusal all the same.
      if (ended.status === 'done' && ended.imported === 0 && ended.refused > 0) {
        if (!run.json) io.err(`${refusedText.trimStart()}\n`);
        throw new CliError(`No row was imported: all ${ended.refused} were refused`, EXIT.refused, { result });
      }
      if (ended.status === 'done') {
        emit(io, run.json, result, () => `Imported ${ended.imported} of ${ended.totalRows} rows into ${form}${ended.refused ? `, ${ended.refused} refused` : ''}${seconds !== null ? ` in ${seconds.toFixed(1)} s` : ''}.${refusedText}`);
        return;
      }
      const message = ended.status === 'failed' ? `Import failed: ${ended.error ?? 'unknown error'}` : `Import ${ended.status}: nothing more was imported (${ended.imported} rows kept)`;
      if (!run.json && refusedText) io.err(`${refusedText.trimStart()}\n`);
      // Refused rows are the server refusing the input (2); a cancel or crash is a failure (5).
      throw new CliError(message, ended.status === 'failed' && ended.refused > 0 ? EXIT.refused : EXIT.failed, { result });
    });

  program
    .command('export-records')
    .description("export a form's records (labels as headers; filtered and sorted like the data page) as CSV or .xlsx")
    .argument('<form>', 'the form key')
    .addOption(new Option('--format <format>', 'file format (default: from --out, else csv)').choices(['csv', 'xlsx']))
    .option('--out <file>', 'write here (default: stdout)')
    .option('--filter <expr>', 'field=value, field!=value, field>=n, field<n, field~text (contains), field:in=A,B, or filter[field][op]=value; repeat to combine (AND)', collect)
    .option('--sort <fields>', 'e.g. -createdAt or amount,-name (a leading "-" sorts descending)')
    .action(async (form: string, options: { format?: 'csv' | 'xlsx'; out?: string; filter?: string[]; sort?: string }, command: Command) => {
      const run = runOf(io, command);
      const format = options.format ?? (options.out?.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv');
      if (!options.out && run.json) throw usageError('--json prints a summary on stdout: give the file with --out');
      if (!options.out && format === 'xlsx' && io.stdoutIsTTY) throw usageError('An .xlsx file is binary: give --out <file.xlsx>, or redirect stdout');
      const query = new URLSearchParams((options.filter ?? []).map(parseFilter));
      if (options.sort) query.set('sort', options.sort);
      const url = `/api/forms/${encodeURIComponent(form)}/records/export${format === 'xlsx' ? '.xlsx' : ''}${query.size ? `?${query}` : ''}`;
      const response = await run.client().raw('GET', url);
      const truncated = response.headers.get('x-export-truncated') === 'true';
      const body = Readable.fromWeb(response.body as any);
      if (!options.out) {
        await pipeline(body, io.stdoutStream, { end: false });
      } else {
        const target = path.resolve(io.cwd, options.out);
        const partial = `${target}.partial`;
        try {
          await pipeline(body, createWriteStream(partial));
          renameSync(partial, target);
        } catch (error) {
          rmSync(partial, { force: true });
          throw error;
        }
        emit(io, run.json, { form, format, file: target, truncated }, () => `Exported ${form} to ${target}`);
      }
      if (truncated) io.err('warning: the export was cut at the server\'s row limit: narrow it with --filter\n');
    });
}
