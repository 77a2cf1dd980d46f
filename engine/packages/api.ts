/**
 * App packages as the engine offers them (engine.packages): export an installed app, preview
 * and import a package file. An import compares the package with what is installed under the
 * same keys; for an app already installed, the package it was installed from is the base.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import type { Db } from '../db/connection.ts';
import type { AuthUser } from '../identity/types.ts';
import { diffPackage, type PackageDiff } from './diff.ts';
import { exportAppPackage, readInstalledParts, type ExportOptions, type PartKeys } from './export.ts';
import { compareVersions, parseAppPackage, type AppPackage } from './format.ts';
import { installPackage, type InstallOutcome } from './install.ts';
import { basePackageOf } from './membership.ts';
import { installedAppKeys, latestInstalledPackage, packageHistory } from './store.ts';

export type ImportMode = 'install' | 'upgrade' | 'reinstall' | 'downgrade';

export interface PackagePreview {
  app: AppPackage['app'];
  mode: ImportMode;
  /** The version installed now (null: not installed). */
  installedVersion: string | null;
  diff: PackageDiff;
  /** What the import would write (from a dry run that was rolled back). */
  outcome: InstallOutcome;
}

function keysOf(...packages: (AppPackage | undefined)[]): PartKeys {
  const all = packages.filter((pkg): pkg is AppPackage => pkg !== undefined);
  const union = (pick: (pkg: AppPackage) => string[]) => [...new Set(all.flatMap(pick))];
  return {
    formKeys: union((pkg) => pkg.forms.map((form) => form.key)),
    processIds: union((pkg) => pkg.workflows.map((workflow) => workflow.processId)),
    automationNames: union((pkg) => pkg.automations.map((automation) => automation.name)),
    messageTemplateKeys: union((pkg) => pkg.messageTemplates.map((template) => template.key)),
    printTemplateKeys: union((pkg) => pkg.printTemplates.map((template) => template.key)),
    dashboardKeys: union((pkg) => pkg.dashboards.map((dashboard) => dashboard.key)),
    roleCodes: union((pkg) => (pkg.permissions?.roles ?? []).map((role) => role.code)),
  };
}

interface ImportPlan {
  incoming: AppPackage;
  target: AppPackage;
  mode: ImportMode;
  installedVersion: string | null;
  diff: PackageDiff;
}

async function planImport(db: Db, file: unknown): Promise<ImportPlan> {
  const incoming = parseAppPackage(file);
  const recorded = await latestInstalledPackage(db, incoming.app.key);
  const base = await basePackageOf(db, incoming.app.key);
  const installed = await readInstalledParts(db, incoming.app, keysOf(incoming, base), incoming);
  const isInstalled = base !== undefined && installed.forms.some((form) => base.forms.some((shipped) => shipped.key === form.key));
  const installedVersion = isInstalled ? (recorded?.version ?? base!.app.version) : null;
  const order = installedVersion === null ? 0 : compareVersions(incoming.app.version, installedVersion);
  const mode: ImportMode = installedVersion === null ? 'install' : order > 0 ? 'upgrade' : order === 0 ? 'reinstall' : 'downgrade';
  const target = incoming;
  return { incoming, target, mode, installedVersion, diff: diffPackage(target, installed) };
}

export function packagesApi(deps: CommandDeps) {
  const { db } = deps;
  return {
    /** The installed app as a package (admins' edits included), optionally with its records. */
    exportApp: (appKey: string, options: ExportOptions = {}) => exportAppPackage(db, appKey, options),
    /** Checks the file and answers what importing it would add and change; writes nothing. */
    async preview(file: unknown, actor: AuthUser): Promise<PackagePreview> {
      const plan = await planImport(db, file);
      const outcome = await installPackage(deps, { target: plan.target, diff: plan.diff, actor, dryRun: true, record: plan.incoming });
      return { app: plan.incoming.app, mode: plan.mode, installedVersion: plan.installedVersion, diff: plan.diff, outcome };
    },
    /** Imports the file in one transaction (all or nothing) and records it as the app's installed package. */
    async importPackage(file: unknown, actor: AuthUser): Promise<PackagePreview> {
      const plan = await planImport(db, file);
      const outcome = await installPackage(deps, { target: plan.target, diff: plan.diff, actor, dryRun: false, record: plan.incoming });
      return { app: plan.incoming.app, mode: plan.mode, installedVersion: plan.installedVersion, diff: plan.diff, outcome };
    },
    installedApps: () => installedAppKeys(db),
    history: (appKey: string) => packageHistory(db, appKey),
  };
}
