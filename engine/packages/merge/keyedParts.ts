/**
 * The parts that are lists of named settings: routing rules (per form, per rule by name, plus
 * the default department), automations, message and print templates, dashboards, and data
 * permissions (per form, per group by name; roles by code). Each item is merged whole.
 */
import type { AppPackage, PackageFormRouting, PackagePermissions } from '../format.ts';
import { mergeKeyedList, type Maybe, type MergeContext } from './threeWay.ts';

type Lists = Pick<AppPackage, 'automations' | 'messageTemplates' | 'printTemplates' | 'dashboards'>;

function mergeFormRouting(ctx: MergeContext, formKey: string, base: Maybe<PackageFormRouting>, ours: Maybe<PackageFormRouting>, theirs: Maybe<PackageFormRouting>): Maybe<PackageFormRouting> {
  if (!base || !ours || !theirs) return ctx.decide({ part: 'routing', key: formKey, path: '(routing)' }, base, ours, theirs);
  const defaultDepartment = ctx.decide({ part: 'routing', key: formKey, path: '(defaultDepartment)' }, base.defaultDepartment, ours.defaultDepartment, theirs.defaultDepartment)!;
  // Rule order matters (the first true condition wins): mergeKeyedList merges it as its own item.
  const rules = mergeKeyedList(ctx, { part: 'routing', key: formKey }, { base: base.rules, ours: ours.rules, theirs: theirs.rules }, (rule) => rule.name, (name, b, o, t) =>
    ctx.decide({ part: 'routing', key: formKey, path: name }, b, o, t),
  );
  return { defaultDepartment, rules };
}

export function mergeRouting(ctx: MergeContext, base: AppPackage['routing'], ours: AppPackage['routing'], theirs: AppPackage['routing']): AppPackage['routing'] {
  const merged: AppPackage['routing'] = {};
  const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(base)])];
  for (const key of keys) {
    const value = mergeFormRouting(ctx, key, base[key], ours[key], theirs[key]);
    if (value) merged[key] = value;
  }
  return merged;
}

export function mergeLists(ctx: MergeContext, base: Lists, ours: Lists, theirs: Lists): Lists {
  const whole = <T>(part: 'automation' | 'messageTemplate' | 'printTemplate' | 'dashboard', pick: (pkg: Lists) => T[], keyOf: (item: T) => string) =>
    mergeKeyedList(ctx, { part, key: '*' }, { base: pick(base), ours: pick(ours), theirs: pick(theirs) }, keyOf, (key, b, o, t) =>
      ctx.decide({ part, key, path: '(item)' }, b, o, t),
    );
  return {
    automations: whole('automation', (pkg) => pkg.automations, (item) => item.name),
    messageTemplates: whole('messageTemplate', (pkg) => pkg.messageTemplates, (item) => item.key),
    printTemplates: whole('printTemplate', (pkg) => pkg.printTemplates, (item) => item.key),
    dashboards: whole('dashboard', (pkg) => pkg.dashboards, (item) => item.key),
  };
}

export function mergePermissions(ctx: MergeContext, base: Maybe<PackagePermissions>, ours: Maybe<PackagePermissions>, theirs: Maybe<PackagePermissions>): Maybe<PackagePermissions> {
  if (!base && !ours && !theirs) return undefined;
  const [b, o, t] = [base ?? {}, ours ?? {}, theirs ?? {}];
  const roles = mergeKeyedList(ctx, { part: 'permissions', key: '(roles)' }, { base: b.roles ?? [], ours: o.roles ?? [], theirs: t.roles ?? [] }, (role) => role.code, (code, x, y, z) =>
    ctx.decide({ part: 'permissions', key: '(roles)', path: code }, x, y, z),
  );
  const forms: NonNullable<PackagePermissions['forms']> = {};
  const formKeys = [...new Set([...Object.keys(o.forms ?? {}), ...Object.keys(t.forms ?? {}), ...Object.keys(b.forms ?? {})])];
  for (const formKey of formKeys) {
    const [bf, of, tf] = [b.forms?.[formKey], o.forms?.[formKey], t.forms?.[formKey]];
    if (!bf || !of || !tf) {
      const value = ctx.decide({ part: 'permissions', key: formKey, path: '(form)' }, bf, of, tf);
      if (value) forms[formKey] = value;
      continue;
    }
    const ownerField = ctx.decide({ part: 'permissions', key: formKey, path: '(ownerField)' }, bf.ownerField ?? null, of.ownerField ?? null, tf.ownerField ?? null);
    const groups = mergeKeyedList(ctx, { part: 'permissions', key: formKey }, { base: bf.groups, ours: of.groups, theirs: tf.groups }, (group) => group.name, (name, x, y, z) =>
      ctx.decide({ part: 'permissions', key: formKey, path: name }, x, y, z),
    );
    forms[formKey] = { ...(ownerField !== undefined ? { ownerField } : {}), groups };
  }
  return { ...(roles.length ? { roles } : {}), ...(Object.keys(forms).length ? { forms } : {}) };
}
