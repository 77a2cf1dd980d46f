/** The public shapes of a three-way package merge (engine/packages/merge/). */
import type { AppPackage } from '../format.ts';

/** Which part of a package a change or conflict is in. */
export type MergePart = 'form' | 'workflow' | 'routing' | 'automation' | 'messageTemplate' | 'printTemplate' | 'dashboard' | 'permissions';

/**
 * `ours` is what is installed now (the admin's changes), `theirs` the incoming package (the
 * publisher's changes), both measured against `base`, the package the installed app came from.
 */
export type MergeSide = 'ours' | 'theirs';

export interface MergeLocation {
  part: MergePart;
  /** The item of the part: form key, process id, routing form key, automation name, template or dashboard key. */
  key: string;
  /** Inside the item: a form field (`contacts.phone` for a sub-form field), a BPMN element id (`approve#di`), a rule name. */
  path: string;
}

export interface MergeChange extends MergeLocation {
  /** Changed by the admin only, by the package only, or the same way by both. */
  kind: MergeSide | 'both-same';
}

export interface MergeConflict extends MergeLocation {
  /** Stable id to resolve it with: `part/key/path`. */
  id: string;
  /** The three versions of the item; null where it does not exist (added or deleted). */
  base: unknown;
  ours: unknown;
  theirs: unknown;
  /** Why both sides could not be kept, when more than "changed differently" (a deleted node still connected). */
  note?: string;
}

export type MergeResolutions = Record<string, MergeSide>;

export interface PackageMerge {
  /** Every non-conflicting change of both sides applied; each conflict as `resolutions` say, else as installed (ours). */
  merged: AppPackage;
  changes: MergeChange[];
  conflicts: MergeConflict[];
  /** The three inputs, so `applyResolutions` can merge again with the admin's choices. */
  inputs: { base: AppPackage; incoming: AppPackage; installed: AppPackage };
}
