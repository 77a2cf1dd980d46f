/**
 * App packages as the engine offers them (engine.packages): export an installed app, preview
 * and import a package file. A first install compares the package with what is there under the
 * same keys; an upgrade of an installed app merges three ways (merge/): the package it was
 * installed from (base), the incoming one, and the app as installed now (the admin's edits),
 * with the admin's choice for each conflict. Running instances stay on their version; the
 * result offers the instance migration (migrate/) for every process deployed anew.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import type { Db } from '../db/connection.ts';
import type { AuthUser } from '../identity/types.ts';
import { diffPackage, type PackageDiff } from './diff.ts';
import { exportAppPackage, readInstalledParts, type ExportOptions, type PartKeys } from './export.ts';
import { compareVersions, parseAppPackage, type AppPackage } from './format.ts';
import { installPackage, type InstallOutcome } from './install.ts';
import { appMembership, basePackageOf } from './membership.ts';
import { runModelJob } from '../bpmn/compilePool.ts';
import type { MergeChange, MergeConflict, MergeResolutions, PackageMerge } from './merge/index.ts';
import { planInstanceMigration, type MigrationPlan } from './migrate/plan.ts';
import { installedAppKeys, latestInstalledPackage, packageHistory } from './store.ts';

/** merge/index.ts, run in the model worker (its exports mergeAppPackage and applyResolutions). */
const MERGE_MODULE = new URL('./merge/index.ts', import.meta.url).href;

export type ImportMode = 'install' | 'upgrade' | 'reinstall' | 'downgrade';

export interface PackagePreview {
  app: AppPackage['app'];
  mode: ImportMode;
  /** The version installed now (null: not installed). */
  installedVersion: string | null;
  diff: PackageDiff;
  /** An installed app: the three-way merge's clean changes and the conflicts the admin decides. */
  merge: { changes: MergeChange[]; conflicts: MergeConflict[] } | null;
  /** An installed app: records in the file are data and are not imported by an upgrade. */
  recordsIgnored: boolean;
  /** What the import would write (from a dry run that was rolled back), or wrote. */
  outcome: InstallOutcome;
}

export interface ImportResult extends PackagePreview {
  /** Running instances of each process's earlier version: which can move to the new version, which cannot and why. */
  instanceMigrations: MigrationPlan[];
}

function keysOf(...packages: (AppPackage | PartKeys | undefined)[]): PartKeys {
  const all = packages.filter((pkg) => pkg !== undefined);
  const union = (pickPackage: (pkg: AppPackage) => string[], pickKeys: (keys: PartKeys) => string[]) =>
    [...new Set(all.flatMap((item) => ('format' in item ? pickPackage(item) : pickKeys(item))))];
  return {
    formKeys: union((pkg) => pkg.forms.map((form) => form.key), (keys) => keys.formKeys),
    processIds: union((pkg) => pkg.workflows.map((workflow) => workflow.processId), (keys) => keys.processIds),
    automationNames: union((pkg) => pkg.automations.map((automation) => automation.name), (keys) => keys.automationNames),
    messageTemplateKeys: union((pkg) => pkg.messageTemplates.map((template) => template.key), (keys) => keys.messageTemplateKeys),
    printTemplateKeys: union((pkg) => pkg.printTemplates.map((template) => template.key), (keys) => keys.printTemplateKeys),
    dashboardKeys: union((pkg) => pkg.dashboards.map((dashboard) => dashboard.key), (keys) => keys.dashboardKeys),
    roleCodes: union((pkg) => (pkg.permissions?.roles ?? []).map((role) => role.code), (keys) => keys.roleCodes ?? []),
  };
}

interface ImportPlan {
  incoming: AppPackage;
  target: AppPackage;
  mode: ImportMode;
  installedVersion: string | null;
  diff: PackageDiff;
  merge: PackagePreview['merge'];
}

/** `resolutions` undefined: a preview (conflicts stay open, shown as installed); else every conflict needs one. */
async function planImport(db: Db, file: unknown, resolutions: MergeResolutions | undefined): Promise<ImportPlan> {
  const incoming = parseAppPackage(file);
  const recorded = await latestInstalledPackage(db, incoming.app.key);
  const base = await basePackageOf(db, incoming.app.key);
  const installedForms = base ? await db('forms').whereIn('key', base.forms.map((form) => form.key)).pluck('key') : [];
  if (!base || installedForms.length === 0) {
    const installed = await readInstalledParts(db, incoming.app, keysOf(incoming), incoming);
    return { incoming, target: incoming, mode: 'install', installedVersion: null, diff: diffPackage(incoming, installed), merge: null };
  }
  const installedVersion = recorded?.version ?? base.app.version;
  const order = compareVersions(incoming.app.version, installedVersion);
  const mode: ImportMode = order > 0 ? 'upgrade' : order === 0 ? 'reinstall' : 'downgrade';
  const members = await appMembership(db, incoming.app.key);
  const installed = await readInstalledParts(db, incoming.app, keysOf(incoming, base, members), base);
  // The merge parses each changed model three times with bpmn-moddle (synchronous): in the
  // model worker, so a large package does not hold the event loop (engine/bpmn/compilePool.ts).
  const merge = <T>(name: 'mergeAppPackage' | 'applyResolutions', args: unknown[]) => runModelJob<T>({ module: MERGE_MODULE, name, args, what: 'merging the app package' });
  const merged = await merge<PackageMerge>('mergeAppPackage', [base, incoming, installed]);
  const target = resolutions === undefined ? merged.merged : merged.conflicts.length ? await merge<AppPackage>('applyResolutions', [merged, resolutions]) : merged.merged;
  return {
    incoming,
    target: { ...target, records: undefined },
    mode,
    installedVersion,
    diff: diffPackage(target, installed),
    merge: { changes: merged.changes, conflicts: merged.conflicts },
  };
}

export function packagesApi(deps: CommandDeps) {
  const { db } = deps;
  const answer = (plan: ImportPlan, outcome: InstallOutcome): PackagePreview => ({
    app: plan.incoming.app,
    mode: plan.mode,
    installedVersion: plan.installedVersion,
    diff: plan.diff,
    merge: plan.merge,
    recordsIgnored: plan.merge !== null && Object.keys(plan.incoming.records ?? {}).length > 0,
    outcome,
  });
  return {
    /** The installed app as a package (admins' edits included), optionally with its records. */
    exportApp: (appKey: string, options: ExportOptions = {}) => exportAppPackage(db, appKey, options),
    /** Checks the file and answers what importing it would add and change; writes nothing. */
    async preview(file: unknown, actor: AuthUser): Promise<PackagePreview> {
      const plan = await planImport(db, file, undefined);
      return answer(plan, await installPackage(deps, { target: plan.target, diff: plan.diff, actor, dryRun: true, record: plan.incoming }));
    },
    /**
     * Imports the file in one transaction (all or nothing) and records it as the app's installed
     * package. An upgrade with conflicts needs `resolutions` for each (422 merge_unresolved).
     */
    async importPackage(file: unknown, actor: AuthUser, resolutions: MergeResolutions = {}): Promise<ImportResult> {
      const plan = await planImport(db, file, resolutions);
      const outcome = await installPackage(deps, { target: plan.target, diff: plan.diff, actor, dryRun: false, record: plan.incoming });
      const instanceMigrations: MigrationPlan[] = [];
      for (const { processId, previousVersion, version } of outcome.redeployed) {
        const offer = await planInstanceMigration(db, processId, previousVersion, version);
        if (offer.movable.length || offer.notMovable.length) instanceMigrations.push(offer);
      }
      return { ...answer(plan, outcome), instanceMigrations };
    },
    installedApps: () => installedAppKeys(db),
    /** The package each app was last installed from (the apps page lists imported apps from it). */
    async installedPackages(): Promise<AppPackage[]> {
      const packages: AppPackage[] = [];
      for (const { appKey } of await installedAppKeys(db)) {
        const installed = await latestInstalledPackage(db, appKey);
        if (installed) packages.push(installed.package);
      }
      return packages;
    },
    history: (appKey: string) => packageHistory(db, appKey),
  };
}
