/**
 * The three-way decision for one item, shared by every part: an item changed on one side
 * only takes that side; changed the same way on both is fine; changed differently on both
 * (including added on both, or deleted on one and changed on the other) is a conflict, which
 * takes the side the admin resolved it to, or stays as installed until then.
 */
import type { MergeChange, MergeConflict, MergeLocation, MergeResolutions, MergeSide } from './types.ts';

/** Absent items are `undefined`. */
export type Maybe<T> = T | undefined;

export class MergeContext {
  readonly changes: MergeChange[] = [];
  readonly conflicts: MergeConflict[] = [];
  constructor(private readonly resolutions: MergeResolutions) {}

  /** The value to keep for one item (undefined: the item is gone), recording what happened. */
  decide<T>(at: MergeLocation, base: Maybe<T>, ours: Maybe<T>, theirs: Maybe<T>): Maybe<T> {
    const side = this.side(at, base, ours, theirs);
    return side === 'theirs' ? theirs : ours;
  }

  /** Which side's version to keep for one item, recording the change or conflict. */
  side<T>(at: MergeLocation, base: Maybe<T>, ours: Maybe<T>, theirs: Maybe<T>, note?: string): MergeSide {
    if (sameValue(ours, theirs)) {
      if (!sameValue(ours, base)) this.changes.push({ ...at, kind: 'both-same' });
      return 'ours';
    }
    if (sameValue(ours, base)) {
      this.changes.push({ ...at, kind: 'theirs' });
      return 'theirs';
    }
    if (sameValue(theirs, base)) {
      this.changes.push({ ...at, kind: 'ours' });
      return 'ours';
    }
    return this.conflict(at, base, ours, theirs, note);
  }

  /** Records a conflict and answers the side chosen for it (installed until resolved). */
  conflict(at: MergeLocation, base: unknown, ours: unknown, theirs: unknown, note?: string): MergeSide {
    const id = conflictId(at);
    this.conflicts.push({ ...at, id, base: base ?? null, ours: ours ?? null, theirs: theirs ?? null, ...(note ? { note } : {}) });
    return this.resolutions[id] ?? 'ours';
  }
}

export function conflictId(at: MergeLocation): string {
  return `${at.part}/${at.key}/${at.path}`;
}

/** JSON text with object keys sorted: equal for equal values whatever the key order. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, inner) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      return Object.fromEntries(Object.keys(inner).sort().map((key) => [key, inner[key]]));
    }
    return inner;
  });
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || stableStringify(a) === stableStringify(b);
}

/**
 * The order of the kept keys: the side that reordered the keys both have (relative to base)
 * wins; both reordering differently is a conflict at `at`. Keys only one side has go after the
 * key that precedes them on that side.
 */
export function mergeOrder(ctx: MergeContext, at: MergeLocation, base: string[], ours: string[], theirs: string[], kept: Set<string>): string[] {
  const common = (list: string[]) => list.filter((key) => base.includes(key) && ours.includes(key) && theirs.includes(key));
  const [b, o, t] = [common(base), common(ours), common(theirs)];
  let spine = o;
  if (!sameValue(o, t)) {
    if (sameValue(o, b)) spine = t;
    else if (!sameValue(t, b)) spine = ctx.conflict(at, b, o, t) === 'theirs' ? t : o;
  }
  const result = spine.filter((key) => kept.has(key));
  for (const side of [ours, theirs]) {
    side.forEach((key, index) => {
      if (!kept.has(key) || result.includes(key)) return;
      const before = side.slice(0, index).reverse().find((candidate) => result.includes(candidate));
      result.splice(before === undefined ? 0 : result.indexOf(before) + 1, 0, key);
    });
  }
  for (const key of kept) if (!result.includes(key)) result.push(key);
  return result;
}

/** Items of a keyed list merged one by one, in merged order; `undefined` results are dropped. */
export function mergeKeyedList<T>(
  ctx: MergeContext,
  at: Omit<MergeLocation, 'path'> & { orderPath?: string },
  lists: { base: T[]; ours: T[]; theirs: T[] },
  keyOf: (item: T) => string,
  mergeItem: (key: string, base: Maybe<T>, ours: Maybe<T>, theirs: Maybe<T>) => Maybe<T>,
): T[] {
  const index = (list: T[]) => new Map(list.map((item) => [keyOf(item), item]));
  const [b, o, t] = [index(lists.base), index(lists.ours), index(lists.theirs)];
  const merged = new Map<string, T>();
  for (const key of new Set([...o.keys(), ...t.keys(), ...b.keys()])) {
    const value = mergeItem(key, b.get(key), o.get(key), t.get(key));
    if (value !== undefined) merged.set(key, value);
  }
  const order = mergeOrder(ctx, { part: at.part, key: at.key, path: at.orderPath ?? '(order)' }, [...b.keys()], [...o.keys()], [...t.keys()], new Set(merged.keys()));
  return order.map((key) => merged.get(key)!);
}
