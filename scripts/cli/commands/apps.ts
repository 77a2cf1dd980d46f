/**
 * `export-app <app> --out <file> [--records]` and `import-app <file> [--yes]` over the app
 * package API (server/routes/appPackages.ts, engine/packages/). An import always shows its
 * preview first (what is added and changed, an upgrade's merge and conflicts), then asks on a
 * terminal; a script must say --yes, or the import is refused (exit 2) without changing anything.
 */
import { createInterface } from 'node:readline';
import { existsSync, openAsBlob, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { runOf } from '../command.ts';
import { CliError, EXIT, emit, usageError, type Io } from '../io.ts';
import { collect } from '../options.ts';

interface Part {
  key: string;
  status: 'new' | 'changed' | 'unchanged';
  fieldsAdded?: string[];
  fieldsRemoved?: string[];
  fieldsChanged?: string[];
}

interface Preview {
  app: { key: string; version: string; name: Record<string, string> };
  mode: string;
  installedVersion: string | null;
  diff: Record<string, Part[]> & { records: Record<string, number> };
  merge: { changes: { part: string; key: string; path: string; kind: string }[]; conflicts: { id: string; part: string; key: string; path: string }[] } | null;
  recordsIgnored: boolean;
  outcome: { applied: Record<string, number>; warnings: string[] };
  instanceMigrations?: { processKey: string; from: { version: number }; to: { version: number }; movable: unknown[]; notMovable: unknown[] }[];
}

const PARTS: [string, string][] = [
  ['forms', 'Forms'],
  ['workflows', 'Processes'],
  ['routing', 'Routing'],
  ['automations', 'Automations'],
  ['messageTemplates', 'Message templates'],
  ['printTemplates', 'Print templates'],
  ['dashboards', 'Dashboards'],
  ['roles', 'Roles'],
  ['permissions', 'Data permissions'],
];

function previewText(preview: Preview): string {
  const lines = [`${preview.app.key} ${preview.app.version} (${preview.app.name.en ?? preview.app.name['zh-CN']}): ${preview.mode}${preview.installedVersion ? ` over ${preview.installedVersion}` : ''}`];
  for (const [part, title] of PARTS) {
    const items = (preview.diff[part] ?? []).filter((item) => item.status !== 'unchanged');
    const unchanged = (preview.diff[part] ?? []).length - items.length;
    if (!items.length && !unchanged) continue;
    lines.push(`${title}: ${items.length ? '' : 'nothing new'}${unchanged ? `${items.length ? '' : ', '}${unchanged} unchanged` : ''}`.replace(/: , /, ': '));
    for (const item of items) {
      const fields = [
        item.fieldsAdded?.length ? `+${item.fieldsAdded.join(' +')}` : '',
        item.fieldsRemoved?.length ? `-${item.fieldsRemoved.join(' -')}` : '',
        item.fieldsChanged?.length ? `~${item.fieldsChanged.join(' ~')}` : '',
      ].filter(Boolean);
      lines.push(`  ${item.status === 'new' ? '+' : '~'} ${item.key}${fields.length ? `  (${fields.join(' ')})` : ''}`);
    }
  }
  const records = Object.entries(preview.diff.records ?? {});
  if (records.length) lines.push(`Records${preview.recordsIgnored ? ' (ignored: an upgrade imports no records)' : ''}: ${records.map(([form, n]) => `${form} ${n}`).join(', ')}`);
  if (preview.merge) {
    lines.push(`Merge: ${preview.merge.changes.length} change(s) merged cleanly, ${preview.merge.conflicts.length} conflict(s)`);
    for (const conflict of preview.merge.conflicts) lines.push(`  ! ${conflict.id}`);
  }
  for (const warning of preview.outcome.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

async function confirm(io: Io, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: process.stderr, terminal: Boolean(io.stdin.isTTY) });
  try {
    io.err(question);
    const line = await rl[Symbol.asyncIterator]().next();
    return !line.done && /^y(es)?$/i.test(String(line.value).trim());
  } finally {
    rl.close();
  }
}

/** `--resolve <conflict id>=ours|theirs`, and `--take` for every conflict not named. */
function resolutionsOf(preview: Preview, named: string[], take: 'ours' | 'theirs' | undefined): Record<string, string> {
  const resolutions: Record<string, string> = {};
  for (const conflict of preview.merge?.conflicts ?? []) if (take) resolutions[conflict.id] = take;
  for (const entry of named) {
    const at = entry.lastIndexOf('=');
    const side = entry.slice(at + 1);
    if (at <= 0 || (side !== 'ours' && side !== 'theirs')) throw usageError(`--resolve "${entry}": write it as <conflict id>=ours or =theirs`);
    resolutions[entry.slice(0, at)] = side;
  }
  return resolutions;
}

export function registerApps(program: Command, io: Io): void {
  program
    .command('export-app')
    .description('export an installed app (forms, processes, routing, automations, templates, dashboards, permissions) as one package file')
    .argument('<app>', 'the app key (GET /api/apps)')
    .requiredOption('--out <file>', 'write the package here (<app>-<version>.lzapp.json by convention)')
    .option('--records', "include the app's records")
    .action(async (app: string, options: { out: string; records?: boolean }, command: Command) => {
      const run = runOf(io, command);
      const response = await run.client().raw('GET', `/api/apps/${encodeURIComponent(app)}/package${options.records ? '?records=true' : ''}`);
      const text = await response.text();
      const pkg = JSON.parse(text) as { app: { key: string; version: string }; forms: unknown[]; workflows: unknown[]; records?: Record<string, unknown[]> };
      const target = path.resolve(io.cwd, options.out);
      const partial = `${target}.partial`;
      try {
        writeFileSync(partial, text);
        renameSync(partial, target);
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
      const records = Object.values(pkg.records ?? {}).reduce((n, list) => n + list.length, 0);
      const summary = { file: target, app: pkg.app.key, version: pkg.app.version, bytes: Buffer.byteLength(text), forms: pkg.forms.length, workflows: pkg.workflows.length, records };
      emit(io, run.json, summary, () => `Exported ${pkg.app.key} ${pkg.app.version} to ${target}: ${pkg.forms.length} forms, ${pkg.workflows.length} processes${options.records ? `, ${records} records` : ''}.`);
    });

  program
    .command('import-app')
    .description('import an app package: shows what it adds and changes (an upgrade: the merge with your changes), then imports it in one transaction')
    .argument('<file>', 'the package file (.lzapp.json)')
    .option('-y, --yes', 'import without asking (needed when stdin is not a terminal)')
    .option('--resolve <id=side>', 'an upgrade conflict: keep the installed (ours) or take the package (theirs); repeat for more', collect)
    .addOption(new Option('--take <side>', 'for every conflict not named by --resolve').choices(['ours', 'theirs']))
    .action(async (file: string, options: { yes?: boolean; resolve?: string[]; take?: 'ours' | 'theirs' }, command: Command) => {
      const run = runOf(io, command);
      const source = path.resolve(io.cwd, file);
      if (!existsSync(source)) throw usageError(`${file} does not exist`);
      const client = run.client();
      const upload = async (resolutions?: Record<string, string>) => {
        const form = new FormData();
        form.append('file', await openAsBlob(source), path.basename(source));
        if (resolutions) form.append('resolutions', JSON.stringify(resolutions));
        return form;
      };
      const preview = (await (await client.raw('POST', '/api/apps/packages/preview', { body: await upload() })).json()) as Preview;
      if (!run.json) io.err(`${previewText(preview)}\n`);
      const resolutions = resolutionsOf(preview, options.resolve ?? [], options.take);
      if (!options.yes) {
        if (!io.stdin.isTTY) {
          throw new CliError('Not imported: stdin is not a terminal to confirm on; add --yes to import', EXIT.refused, { result: { preview } });
        }
        if (!(await confirm(io, 'Import? [y/N] '))) throw new CliError('Not imported', EXIT.refused, { result: { preview } });
      }
      const result = (await (await client.raw('POST', '/api/apps/packages/import', { body: await upload(resolutions) })).json()) as Preview;
      emit(io, run.json, result, () => {
        const applied = Object.entries(result.outcome.applied).filter(([, n]) => n > 0).map(([part, n]) => `${part} ${n}`).join(', ');
        const offers = (result.instanceMigrations ?? []).map(
          (plan) => `  ${plan.processKey} v${plan.from.version} → v${plan.to.version}: ${plan.movable.length} running instance(s) can move, ${plan.notMovable.length} cannot (POST /api/definitions/${plan.processKey}/migrate)`,
        );
        return [`Imported ${result.app.key} ${result.app.version} (${result.mode}): ${applied || 'nothing changed'}.`, ...(offers.length ? ['Instance migration offered:', ...offers] : [])].join('\n');
      });
    });
}
