/**
 * Installing a package: every part the diff finds new or changed goes through the engine's own
 * command or check (saveForm, deployDefinition, saveRouting, create/updateAutomation, the
 * template saves, the dashboard and permission-group validation), nested in ONE command
 * transaction, so a package is validated exactly like an admin's own work and is installed
 * all or nothing. Records go in with their form's validation (no automations fire: an
 * import is not a user's entry). A dry run (the preview) does the same and rolls back, so
 * the preview refuses exactly what the import would refuse.
 */
import { validateGroup } from '../access/validate.ts';
import { insertGroup, saveOwnerField } from '../access/store.ts';
import { createDashboard, updateDashboard } from '../analytics/dashboards.ts';
import { createAutomation } from '../commands/createAutomation.ts';
import { compileModel } from '../bpmn/compilePool.ts';
import { deployDefinition } from '../commands/deployDefinition.ts';
import { runCommand, type CommandDeps } from '../commands/runCommand.ts';
import { saveForm } from '../commands/saveForm.ts';
import { saveMessageTemplate } from '../commands/saveMessageTemplate.ts';
import { savePrintTemplate } from '../commands/savePrintTemplate.ts';
import { saveRouting } from '../commands/saveRouting.ts';
import { updateAutomation } from '../commands/updateAutomation.ts';
import type { Db } from '../db/connection.ts';
import { LiuzhuanError, ValidationError, type ErrorDetail } from '../errors.ts';
import { compiledForm } from '../forms/compiled.ts';
import { assertValidData } from '../forms/validator.ts';
import type { AuthUser } from '../identity/types.ts';
import { latestDefinition } from '../store/definitions.ts';
import { getFormVersion } from '../store/forms.ts';
import { insertRecord } from '../store/records.ts';
import type { PackageDiff } from './diff.ts';
import type { AppPackage } from './format.ts';
import { recordInstalledPackage } from './store.ts';

export interface InstallOutcome {
  /** Counts of what was written, per part. */
  applied: Record<'forms' | 'workflows' | 'routing' | 'automations' | 'messageTemplates' | 'printTemplates' | 'dashboards' | 'roles' | 'permissions' | 'records', number>;
  /** Things left out on purpose (a user a permission group names who does not exist here). */
  warnings: string[];
  /** Deploy warnings of the processes, as an admin's deploy shows them. */
  deployWarnings: { processId: string; message: string }[];
  /** Processes deployed as a new version over an earlier one: running instances stay on theirs. */
  redeployed: { processId: string; previousVersion: number; version: number }[];
}

class DryRunFinished extends Error {
  constructor(readonly outcome: InstallOutcome) {
    super('dry run');
  }
}

/** Runs `work`, turning any refusal into a 422 whose pointers start at `pointer` in the package. */
async function at<T>(pointer: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof LiuzhuanError) || error instanceof DryRunFinished) throw error;
    const details: ErrorDetail[] = (error.details?.length ? error.details : [{ pointer: '', message: error.message }]).map((detail) => ({
      ...detail,
      pointer: `${pointer}${detail.pointer.startsWith('/') || detail.pointer === '' ? detail.pointer : `/${detail.pointer}`}`,
    }));
    throw new ValidationError(`${pointer}: ${error.message}`, details, 'invalid_package');
  }
}

const changed = (list: { key: string; status: string }[]) => new Set(list.filter((part) => part.status !== 'unchanged').map((part) => part.key));

async function idsByCode(db: Db, table: 'departments' | 'users', column: 'code' | 'username', keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows: { id: string; key: string }[] = await db(table).whereIn(column, [...new Set(keys)]).select('id', `${column} as key`);
  return new Map(rows.map((row) => [row.key, row.id]));
}

export interface InstallInput {
  /** What the app should be after the install (the incoming package, or the merge's result). */
  target: AppPackage;
  diff: PackageDiff;
  actor: AuthUser;
  dryRun: boolean;
  /** Kept in app_packages as the base of the next upgrade (the incoming package as shipped). */
  record: AppPackage;
}

export async function installPackage(deps: CommandDeps, input: InstallInput): Promise<InstallOutcome> {
  try {
    return await runCommand(deps, async (_uow, scope) => {
      // Two imports of one app at once would both read the same installed state: one after the other.
      await scope.trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`liuzhuan.app-package:${input.target.app.key}`]);
      const outcome = await applyParts(scope.trx, scope.nested(), input);
      if (input.dryRun) throw new DryRunFinished(outcome);
      await recordInstalledPackage(scope.trx, input.record, input.actor.id);
      return outcome;
    });
  } catch (error) {
    if (error instanceof DryRunFinished) return error.outcome;
    throw error;
  }
}

async function applyParts(trx: Db, nested: CommandDeps, { target: pkg, diff, actor }: InstallInput): Promise<InstallOutcome> {
  const outcome: InstallOutcome = {
    applied: { forms: 0, workflows: 0, routing: 0, automations: 0, messageTemplates: 0, printTemplates: 0, dashboards: 0, roles: 0, permissions: 0, records: 0 },
    warnings: [],
    deployWarnings: [],
    redeployed: [],
  };

  // Models are compiled first (no database involved): a model that does not parse is named as
  // such, before a part installed earlier in the order refuses for another reason.
  const workflows = changed(diff.workflows);
  for (const [index, workflow] of pkg.workflows.entries()) {
    if (workflows.has(workflow.processId)) await at(`/workflows/${index}`, () => compileModel(workflow.xml));
  }

  const roles = changed(diff.roles);
  for (const [index, role] of (pkg.permissions?.roles ?? []).entries()) {
    if (!roles.has(role.code)) continue;
    await at(`/permissions/roles/${index}`, () =>
      trx('roles').insert({ code: role.code, name: role.name, name_en: role.nameEn ?? null }).onConflict('code').merge({ name: role.name, name_en: role.nameEn ?? null }),
    );
    outcome.applied.roles += 1;
  }

  const forms = changed(diff.forms);
  for (const [index, form] of pkg.forms.entries()) {
    if (!forms.has(form.key)) continue;
    await at(`/forms/${index}`, () => saveForm(nested, { body: { key: form.key, title: form.title, schema: form.schema, uiSchema: form.uiSchema }, locale: 'en', createdBy: actor.id }));
    outcome.applied.forms += 1;
  }

  const messages = changed(diff.messageTemplates);
  for (const [index, { key, ...body }] of pkg.messageTemplates.entries()) {
    if (!messages.has(key)) continue;
    await at(`/messageTemplates/${index}`, () => saveMessageTemplate(nested, { key, body }));
    outcome.applied.messageTemplates += 1;
  }
  const prints = changed(diff.printTemplates);
  for (const [index, { key, ...body }] of pkg.printTemplates.entries()) {
    if (!prints.has(key)) continue;
    await at(`/printTemplates/${index}`, async () => {
      if (!(await getFormVersion(trx, body.formKey))) throw new ValidationError(`No form "${body.formKey}"`, [{ pointer: '/formKey', message: 'no such form here or in the package' }]);
      return savePrintTemplate(nested, { key, body });
    });
    outcome.applied.printTemplates += 1;
  }

  const routing = changed(diff.routing);
  for (const [formKey, spec] of Object.entries(pkg.routing)) {
    if (!routing.has(formKey)) continue;
    const pointer = `/routing/${formKey}`;
    const ids = await idsByCode(trx, 'departments', 'code', [spec.defaultDepartment, ...spec.rules.map((rule) => rule.department)]);
    const unknown: ErrorDetail[] = [];
    if (!ids.has(spec.defaultDepartment)) unknown.push({ pointer: `${pointer}/defaultDepartment`, message: `no department with code "${spec.defaultDepartment}" on this server` });
    spec.rules.forEach((rule, i) => {
      if (!ids.has(rule.department)) unknown.push({ pointer: `${pointer}/rules/${i}/department`, message: `no department with code "${rule.department}" on this server` });
    });
    if (unknown.length) throw new ValidationError(`${unknown[0]!.pointer}: ${unknown[0]!.message}`, unknown, 'invalid_package');
    await at(pointer, () =>
      saveRouting(nested, {
        formKey,
        body: {
          defaultDepartmentId: ids.get(spec.defaultDepartment),
          rules: spec.rules.map((rule) => ({ name: rule.name, condition: rule.condition, departmentId: ids.get(rule.department), enabled: rule.enabled ?? true })),
        },
        updatedBy: actor.id,
        locale: 'en',
      }),
    );
    outcome.applied.routing += 1;
  }

  const permissions = changed(diff.permissions);
  for (const [formKey, setup] of Object.entries(pkg.permissions?.forms ?? {})) {
    if (!permissions.has(formKey)) continue;
    await at(`/permissions/forms/${formKey}`, async () => {
      const form = await getFormVersion(trx, formKey);
      if (!form) throw new ValidationError(`No form "${formKey}"`, [{ pointer: '', message: 'no such form here or in the package' }]);
      await saveOwnerField(trx, formKey, setup.ownerField ?? null);
      // The package's groups replace the form's: a changed setup is the package's whole setup.
      await trx('permission_groups').where({ form_key: formKey }).delete();
      for (const [position, group] of setup.groups.entries()) {
        const users = await idsByCode(trx, 'users', 'username', group.members.users ?? []);
        const departments = await idsByCode(trx, 'departments', 'code', group.members.departments ?? []);
        for (const name of group.members.users ?? []) if (!users.has(name)) outcome.warnings.push(`permission group "${group.name}" of ${formKey}: no user "${name}" here, left out`);
        for (const code of group.members.departments ?? []) if (!departments.has(code)) outcome.warnings.push(`permission group "${group.name}" of ${formKey}: no department "${code}" here, left out`);
        const body = {
          ...group,
          position,
          members: { ...group.members, users: [...users.values()], departments: [...departments.values()] },
        };
        const valid = await at(`/groups/${position}`, () => validateGroup(trx, body, form.schema, 'en'));
        await insertGroup(trx, formKey, valid, actor.id);
      }
    });
    outcome.applied.permissions += 1;
  }

  for (const [index, workflow] of pkg.workflows.entries()) {
    if (!workflows.has(workflow.processId)) continue;
    await at(`/workflows/${index}`, async () => {
      const previous = await latestDefinition(trx, workflow.processId);
      const { definitions, warnings } = await deployDefinition(nested, workflow.xml, actor.id);
      const deployed = definitions.find((definition) => definition.key === workflow.processId);
      if (previous && deployed) outcome.redeployed.push({ processId: workflow.processId, previousVersion: previous.version, version: deployed.version });
      if (!definitions.some((definition) => definition.key === workflow.processId)) {
        throw new ValidationError(`The model does not define the process "${workflow.processId}"`, [{ pointer: '/processId', message: `no executable process with id "${workflow.processId}" in the XML` }]);
      }
      for (const warning of warnings) outcome.deployWarnings.push({ processId: workflow.processId, message: warning.message });
    });
    outcome.applied.workflows += 1;
  }

  const automations = changed(diff.automations);
  for (const [index, automation] of pkg.automations.entries()) {
    if (!automations.has(automation.name)) continue;
    await at(`/automations/${index}`, async () => {
      const existing = await trx('automations').where({ name: automation.name }).first('id');
      if (existing) await updateAutomation(nested, { id: existing.id, body: automation });
      else await createAutomation(nested, { body: automation });
    });
    outcome.applied.automations += 1;
  }

  const dashboards = changed(diff.dashboards);
  for (const [index, dashboard] of pkg.dashboards.entries()) {
    if (!dashboards.has(dashboard.key)) continue;
    await at(`/dashboards/${index}`, async () => {
      const existing = await trx('dashboards').where({ key: dashboard.key }).first('id');
      if (existing) await updateDashboard(trx, actor, existing.id, dashboard);
      else await createDashboard(trx, actor, dashboard, pkg.app.key);
    });
    outcome.applied.dashboards += 1;
  }

  for (const [formKey, records] of Object.entries(pkg.records ?? {})) {
    const compiled = await at(`/records/${formKey}`, () => compiledForm(trx, formKey));
    for (const [index, data] of records.entries()) {
      await at(`/records/${formKey}/${index}`, async () => {
        await assertValidData(compiled.errorsOf, data, 'en');
        await insertRecord(trx, { formKey, formVersion: compiled.version, data, createdBy: actor.id });
      });
      outcome.applied.records += 1;
    }
  }
  return outcome;
}
