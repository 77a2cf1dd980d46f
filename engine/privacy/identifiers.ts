/**
 * A data subject's identifiers (phone, e-mail, ID number, name) as needles: what finds them in
 * a stored value or text and what replaces them there when erasing.
 */
import { ValidationError } from '../errors.ts';
import { maskValue, normaliseIdentifier, type PersonalKind } from './personal.ts';

export interface Identifiers {
  phone?: string;
  email?: string;
  idNumber?: string;
  name?: string;
}

export interface Needle {
  kind: PersonalKind;
  /** The identifier as given (trimmed). */
  text: string;
  /** Its canonical form (normaliseIdentifier). */
  normal: string;
}

/** What an erased identifier becomes inside a longer text. */
export const REDACTED = '***';
const KINDS = ['phone', 'email', 'idNumber', 'name'] as const;
/** Shorter identifiers would match far too much text (a one-character name, a 3-digit number). */
const MIN_LENGTH: Record<(typeof KINDS)[number], number> = { phone: 5, email: 3, idNumber: 6, name: 2 };

export function parseIdentifiers(body: unknown): Needle[] {
  const identifiers = (body as { identifiers?: unknown } | null)?.identifiers;
  if (!identifiers || typeof identifiers !== 'object' || Array.isArray(identifiers)) {
    throw new ValidationError('identifiers must be an object {phone?, email?, idNumber?, name?}', [{ pointer: '/identifiers', message: 'required' }]);
  }
  const needles: Needle[] = [];
  for (const [key, value] of Object.entries(identifiers)) {
    const pointer = `/identifiers/${key}`;
    if (!(KINDS as readonly string[]).includes(key)) throw new ValidationError(`Unknown identifier "${key}"`, [{ pointer, message: `use ${KINDS.join(', ')}` }]);
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.length > 200) throw new ValidationError(`${key} must be text of at most 200 characters`, [{ pointer, message: 'text, at most 200 characters' }]);
    const kind = key as (typeof KINDS)[number];
    const text = value.trim();
    const normal = normaliseIdentifier(kind, text);
    if (normal.length < MIN_LENGTH[kind]) {
      throw new ValidationError(`${key} is too short to identify a person`, [{ pointer, message: `at least ${MIN_LENGTH[kind]} characters` }]);
    }
    needles.push({ kind, text, normal });
  }
  if (needles.length === 0) throw new ValidationError('Give at least one identifier', [{ pointer: '/identifiers', message: 'phone, email, idNumber or name' }]);
  return needles;
}

/** A short form for logs and reports: masked, so the audit log does not itself hold the identifiers. */
export function describeNeedles(needles: Needle[]): string {
  return needles.map((n) => `${n.kind} ${String(maskValue(n.kind, n.text))}`).join(', ');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** ILIKE patterns that find the needles in clear text (a first cut; `textNames` confirms). */
export function likePatterns(needles: Needle[]): string[] {
  return [...new Set(needles.flatMap((n) => [n.text, n.normal].filter((t) => t.length > 0)).map((t) => `%${escapeLike(t)}%`))];
}

function compact(text: string): string {
  return text.replace(/[\s-]/g, '');
}

/** Whether a text names the person: holds an identifier (phone and ID numbers also with separators removed). */
export function textNames(text: string, needles: Needle[]): boolean {
  const lower = text.toLowerCase();
  return needles.some((n) => {
    if (lower.includes(n.text.toLowerCase()) || lower.includes(n.normal)) return true;
    if (n.kind === 'phone') return compact(text).includes(n.normal);
    if (n.kind === 'idNumber') return compact(text).toUpperCase().includes(n.normal);
    return false;
  });
}

/** A value of a personal field is theirs when it is the identifier of the same kind (or holds one). */
export function personalValueNames(kind: PersonalKind, value: unknown, needles: Needle[]): boolean {
  if (value === null || value === undefined || value === '') return false;
  const normal = normaliseIdentifier(kind, value);
  if (needles.some((n) => n.kind === kind && n.normal === normal)) return true;
  return typeof value === 'string' && textNames(value, needles);
}

function replaceAll(text: string, needle: string): string {
  if (!needle) return text;
  const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return text.replace(pattern, REDACTED);
}

/** The text with each identifier replaced by ***; a text naming them only after separators are removed becomes *** entirely. */
export function scrubText(text: string, needles: Needle[]): string {
  let out = text;
  for (const n of needles) {
    out = replaceAll(out, n.text);
    if (n.normal !== n.text.toLowerCase()) out = replaceAll(out, n.normal);
  }
  return textNames(out, needles) ? REDACTED : out;
}

/** Every string inside a JSON value scrubbed; `changed` says whether anything was. */
export function scrubJson(value: unknown, needles: Needle[]): { value: unknown; changed: boolean } {
  if (typeof value === 'string') {
    const scrubbed = textNames(value, needles) ? scrubText(value, needles) : value;
    return { value: scrubbed, changed: scrubbed !== value };
  }
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const result = scrubJson(item, needles);
      changed ||= result.changed;
      return result.value;
    });
    return { value: changed ? items : value, changed };
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const result = scrubJson(item, needles);
      changed ||= result.changed;
      return [key, result.value] as const;
    });
    return { value: changed ? Object.fromEntries(entries) : value, changed };
  }
  return { value, changed: false };
}

/** Whether any string inside a JSON value names them. */
export function jsonNames(value: unknown, needles: Needle[]): boolean {
  return scrubJson(value, needles).changed;
}
