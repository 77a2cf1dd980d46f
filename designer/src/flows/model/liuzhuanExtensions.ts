/**
 * Reads and writes a node's `liuzhuan:` settings (approval rules, field permissions, allowed
 * actions, timeout) on a bpmn-moddle business object. Pure: no bpmn-js, no DOM, so the same
 * code runs in the designer and in the unit tests (with bpmn-moddle + liuzhuan.json).
 *
 * The designer never mutates the business object: `writeNodeSettings` builds a NEW
 * `bpmn:ExtensionElements` that the panel hands to `modeling.updateProperties`, so every
 * change is one command on bpmn-js's undo stack. Extension elements this file does not
 * manage (camunda:…, liuzhuan:settings, …) are carried over untouched.
 * The shapes mirror engine/approval/{settings,nodeSettings,timeoutSettings}.ts.
 */

export type FieldAccess = 'hidden' | 'readonly' | 'editable' | 'required';
export const FIELD_ACCESS: readonly FieldAccess[] = ['hidden', 'readonly', 'editable', 'required'];

export type ApprovalMode = 'single' | 'all' | 'any' | 'sequential';
export const APPROVAL_MODES: readonly ApprovalMode[] = ['single', 'all', 'any', 'sequential'];
export type ApprovalFallback = 'admin' | 'skip';
export type AssigneeType =
  | 'user'
  | 'role'
  | 'department'
  | 'departmentHead'
  | 'submitter'
  | 'submitterDepartment'
  | 'submitterHead'
  | 'nodeHandler'
  | 'memberField'
  | 'departmentField'
  | 'feel'
  | 'routedDepartment';
/** In the order the 审批人 type picker lists them. */
export const ASSIGNEE_TYPES: readonly AssigneeType[] = [
  'user',
  'role',
  'department',
  'departmentHead',
  'submitter',
  'submitterDepartment',
  'submitterHead',
  'nodeHandler',
  'memberField',
  'departmentField',
  'feel',
  'routedDepartment',
];
/** Levels the 发起人的第 N 级主管 picker offers (the engine accepts 1–20). */
export const MAX_HEAD_LEVEL = 20;
export type DepartmentPart = 'members' | 'head';

/** `departmentField`'s value: `field` (its members) or `field:head` (engine/approval/settings.ts). */
export function departmentFieldValue(field: string, part: DepartmentPart): string {
  return part === 'head' ? `${field}:head` : field;
}
export function parseDepartmentField(value: string): { field: string; part: DepartmentPart } {
  const at = value.lastIndexOf(':');
  if (at <= 0) return { field: value, part: 'members' };
  return { field: value.slice(0, at), part: value.slice(at + 1) === 'head' ? 'head' : 'members' };
}

/** `submit` (提交) belongs to a fill-in node (填写节点); the others to an approval node. */
export type ApprovalAction = 'approve' | 'reject' | 'return' | 'transfer' | 'addSigner' | 'submit';
/** An approval node's actions: all of them = the element is left out (engine: absent → these). */
export const ALL_ACTIONS: readonly ApprovalAction[] = ['approve', 'reject', 'return', 'transfer', 'addSigner'];
/** Every action a node may list, in the order the XML lists them. */
export const KNOWN_ACTIONS: readonly ApprovalAction[] = ['submit', 'approve', 'reject', 'return', 'transfer', 'addSigner'];
/** A fill-in node's actions: submit always, return and transfer optional. */
export const FILL_IN_ACTIONS: readonly ApprovalAction[] = ['submit', 'return', 'transfer'];
/** The actions that complete a task; the engine refuses a node without one. */
export const COMPLETING_ACTIONS: readonly ApprovalAction[] = ['approve', 'reject', 'submit'];

/**
 * A fill-in node lists `submit`. A list with no completing action is what this designer
 * wrote for a fill-in node before `submit` existed (`return,transfer`): read as fill-in too.
 */
export function isFillIn(actions: readonly ApprovalAction[] | null): boolean {
  return actions !== null && (actions.includes('submit') || !actions.some((action) => COMPLETING_ACTIONS.includes(action)));
}

export type TimeoutAction = 'approve' | 'return' | 'escalate';

export interface AssigneeRule {
  type: AssigneeType;
  /** Comma-separated usernames (user), role name, department code, level (submitterHead), field name, FEEL, members|head (routedDepartment). */
  value: string;
}

export interface ApprovalSettings {
  mode: ApprovalMode;
  fallback: ApprovalFallback;
  rules: AssigneeRule[];
}

export interface TimeoutSettings {
  remindAfter?: string;
  after?: string;
  action?: TimeoutAction;
  escalateTo?: string;
  returnTo?: string;
}

export interface NodeSettings {
  approval: ApprovalSettings | null;
  /** Only fields that differ from the default `editable` are stored. */
  fieldPermissions: Record<string, FieldAccess>;
  /** null: the element is absent, every action is allowed. */
  actions: ApprovalAction[] | null;
  timeout: TimeoutSettings | null;
}

/** The bits of a moddle element this file touches (bpmn-moddle and bpmn-js share them). */
export interface ModdleLike {
  $type: string;
  $parent?: unknown;
  [key: string]: unknown;
}
export interface ModdleFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleLike;
}

const MANAGED = ['liuzhuan:Approval', 'liuzhuan:FieldPermissions', 'liuzhuan:Actions', 'liuzhuan:Timeout'];

export const EMPTY_SETTINGS: NodeSettings = { approval: null, fieldPermissions: {}, actions: null, timeout: null };

function values(bo: ModdleLike | undefined): ModdleLike[] {
  const ext = bo?.extensionElements as { values?: ModdleLike[] } | undefined;
  return ext?.values ?? [];
}

const str = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export function readNodeSettings(bo: ModdleLike | undefined): NodeSettings {
  const settings: NodeSettings = { approval: null, fieldPermissions: {}, actions: null, timeout: null };
  for (const value of values(bo)) {
    switch (value.$type) {
      case 'liuzhuan:Approval': {
        const rules: AssigneeRule[] = [];
        // The older `assignees="u1,u2"` attribute is a user rule (engine/approval/settings.ts).
        const listed = str(value.assignees);
        if (listed) rules.push({ type: 'user', value: listed });
        for (const rule of (value.rules as ModdleLike[] | undefined) ?? []) {
          rules.push({ type: (str(rule.type) ?? 'user') as AssigneeType, value: str(rule.value) ?? '' });
        }
        settings.approval = {
          mode: (str(value.mode) ?? 'single') as ApprovalMode,
          fallback: (str(value.fallback) ?? 'admin') as ApprovalFallback,
          rules,
        };
        break;
      }
      case 'liuzhuan:FieldPermissions':
        for (const field of (value.fields as ModdleLike[] | undefined) ?? []) {
          const name = str(field.name);
          const access = str(field.access)?.toLowerCase() as FieldAccess | undefined;
          if (name && access && access !== 'editable') settings.fieldPermissions[name] = FIELD_ACCESS.includes(access) ? access : 'readonly';
        }
        break;
      case 'liuzhuan:Actions': {
        const names = (str(value.allowed) ?? '').split(',').map((name) => name.trim().toLowerCase());
        settings.actions = KNOWN_ACTIONS.filter((action) => names.includes(action.toLowerCase()));
        break;
      }
      case 'liuzhuan:Timeout': {
        const timeout: TimeoutSettings = {};
        for (const name of ['remindAfter', 'after', 'escalateTo', 'returnTo'] as const) {
          const text = str(value[name]);
          if (text) timeout[name] = text;
        }
        const action = str(value.action)?.toLowerCase();
        if (action) timeout.action = action as TimeoutAction;
        settings.timeout = timeout;
        break;
      }
    }
  }
  return settings;
}

/**
 * A new `bpmn:ExtensionElements` holding `settings` plus every unmanaged value of `bo`, or
 * undefined when nothing is left (so the XML does not carry an empty element).
 */
export function writeNodeSettings(moddle: ModdleFactory, bo: ModdleLike, settings: NodeSettings): ModdleLike | undefined {
  const kept = values(bo).filter((value) => !MANAGED.includes(value.$type));
  const created: ModdleLike[] = [];
  if (settings.approval) {
    const { mode, fallback, rules } = settings.approval;
    created.push(
      moddle.create('liuzhuan:Approval', {
        mode,
        fallback,
        rules: rules.map((rule) => moddle.create('liuzhuan:Assignee', { type: rule.type, value: rule.value.trim() })),
      }),
    );
  }
  const fields = Object.entries(settings.fieldPermissions).filter(([, access]) => access !== 'editable');
  if (fields.length > 0) {
    created.push(
      moddle.create('liuzhuan:FieldPermissions', {
        fields: fields.map(([name, access]) => moddle.create('liuzhuan:Field', { name, access })),
      }),
    );
  }
  const actions = settings.actions;
  const everyApprovalAction = actions && !actions.includes('submit') && ALL_ACTIONS.every((action) => actions.includes(action));
  if (actions && !everyApprovalAction) {
    created.push(moddle.create('liuzhuan:Actions', { allowed: KNOWN_ACTIONS.filter((a) => actions.includes(a)).join(',') }));
  }
  if (settings.timeout) {
    const attrs: Record<string, string> = {};
    for (const [name, value] of Object.entries(settings.timeout)) if (typeof value === 'string' && value.trim()) attrs[name] = value.trim();
    if (Object.keys(attrs).length > 0) created.push(moddle.create('liuzhuan:Timeout', attrs));
  }
  const all = [...kept, ...created];
  if (all.length === 0) return undefined;
  const ext = moddle.create('bpmn:ExtensionElements', { values: all });
  for (const value of all) value.$parent = ext;
  for (const value of created) for (const child of childrenOf(value)) child.$parent = value;
  return ext;
}

function childrenOf(value: ModdleLike): ModdleLike[] {
  return [...((value.rules as ModdleLike[] | undefined) ?? []), ...((value.fields as ModdleLike[] | undefined) ?? [])];
}

export type DurationUnit = 'minutes' | 'hours' | 'days';

/** `4, 'hours'` → `PT4H`; `1, 'days'` → `P1D` (what engine/timers/iso.ts parses). */
export function isoDuration(amount: number, unit: DurationUnit): string {
  const n = Math.max(0, Math.round(amount));
  if (unit === 'days') return `P${n}D`;
  return unit === 'hours' ? `PT${n}H` : `PT${n}M`;
}

/** The reverse for the simple forms above; null for anything else (shown as raw text). */
export function parseIsoDuration(text: string | undefined): { amount: number; unit: DurationUnit } | null {
  if (!text) return null;
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(text.trim());
  if (!match) return null;
  const [, days, hours, minutes] = match.map((part) => (part === undefined ? undefined : Number(part)));
  const parts = [days, hours, minutes].filter((part) => part !== undefined);
  if (parts.length !== 1) return null;
  if (days !== undefined) return { amount: days, unit: 'days' };
  return hours !== undefined ? { amount: hours, unit: 'hours' } : { amount: minutes!, unit: 'minutes' };
}
