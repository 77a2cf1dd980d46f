/**
 * Three-way merge of app packages for an upgrade (issue 17): `base` is the package the
 * installed app came from, `incoming` the newer package, `installed` the app as the admin has
 * it now (exported as a package). Every change of one side is kept, the same change on both is
 * fine, and different changes to the same form field, BPMN element or named rule are conflicts
 * the admin resolves (`applyResolutions`). Pure: no database; the callers read and install.
 */
import { ValidationError } from '../../errors.ts';
import type { AppPackage } from '../format.ts';
import { mergeForms } from './forms.ts';
import { mergeLists, mergePermissions, mergeRouting } from './keyedParts.ts';
import { MergeContext } from './threeWay.ts';
import type { MergeResolutions, PackageMerge } from './types.ts';
import { mergeWorkflows } from './workflows.ts';

export type { MergeChange, MergeConflict, MergePart, MergeResolutions, MergeSide, PackageMerge } from './types.ts';
export { MAX_MERGE_FIELDS } from './forms.ts';
export { MAX_MERGE_ELEMENTS } from './workflows.ts';

async function merge(base: AppPackage, incoming: AppPackage, installed: AppPackage, resolutions: MergeResolutions): Promise<PackageMerge> {
  const ctx = new MergeContext(resolutions);
  const forms = mergeForms(ctx, base.forms, installed.forms, incoming.forms);
  const workflows = await mergeWorkflows(ctx, base.workflows, installed.workflows, incoming.workflows);
  const routing = mergeRouting(ctx, base.routing, installed.routing, incoming.routing);
  const lists = mergeLists(ctx, base, installed, incoming);
  const permissions = mergePermissions(ctx, base.permissions, installed.permissions, incoming.permissions);
  const merged: AppPackage = {
    format: incoming.format,
    formatVersion: incoming.formatVersion,
    // The app becomes the incoming version; its records are data, never merged by an upgrade.
    app: incoming.app,
    exportedAt: incoming.exportedAt,
    forms,
    workflows,
    routing,
    ...lists,
    ...(permissions ? { permissions } : {}),
  };
  return { merged, changes: ctx.changes, conflicts: ctx.conflicts, inputs: { base, incoming, installed } };
}

export function mergeAppPackage(base: AppPackage, incoming: AppPackage, installed: AppPackage): Promise<PackageMerge> {
  return merge(base, incoming, installed, {});
}

/**
 * The final package with the admin's choice for every conflict (`{conflictId: 'ours'|'theirs'}`,
 * ours = as installed, theirs = as the package has it). 422 naming each conflict left without a
 * choice, or a choice for a conflict the merge does not have.
 */
export async function applyResolutions(result: PackageMerge, resolutions: MergeResolutions): Promise<AppPackage> {
  const known = new Set(result.conflicts.map((conflict) => conflict.id));
  const problems = [
    ...Object.entries(resolutions)
      .filter(([id, side]) => !known.has(id) || (side !== 'ours' && side !== 'theirs'))
      .map(([id, side]) => ({ pointer: `/resolutions/${id}`, message: known.has(id) ? `"${String(side)}" is not ours or theirs` : 'no such conflict' })),
    ...[...known].filter((id) => !(id in resolutions)).map((id) => ({ pointer: `/resolutions/${id}`, message: 'choose ours or theirs' })),
  ];
  if (problems.length > 0) {
    throw new ValidationError(`Every conflict needs a choice of ours or theirs: ${problems.map((p) => `${p.pointer.slice(13)} (${p.message})`).join('; ')}`, problems, 'merge_unresolved');
  }
  const { base, incoming, installed } = result.inputs;
  const again = await merge(base, incoming, installed, resolutions);
  // A choice can bring a node back that another choice's conflict depended on: what is left unresolved then is an error too.
  const open = again.conflicts.filter((conflict) => !(conflict.id in resolutions));
  if (open.length > 0) {
    const problems2 = open.map((conflict) => ({ pointer: `/resolutions/${conflict.id}`, message: 'choose ours or theirs' }));
    throw new ValidationError(`These conflicts appear with the choices made: ${open.map((c) => c.id).join(', ')}`, problems2, 'merge_unresolved');
  }
  return again.merged;
}
