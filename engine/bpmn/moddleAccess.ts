/**
 * Typed reads from bpmn-moddle elements, whose properties are untyped at run time. Every
 * compiler file goes through these so a surprising value (a number, a missing list) turns
 * into `undefined` rather than a crash in the middle of a deploy.
 */
import type { ModdleElement } from 'bpmn-moddle';

export type { ModdleElement };

export function isElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as ModdleElement).$type === 'string';
}

/** A string property (`name`, `camunda:assignee`, …); empty or blank text counts as absent. */
export function text(el: ModdleElement | undefined, property: string): string | undefined {
  const value = el?.get(property);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function flag(el: ModdleElement | undefined, property: string): boolean | undefined {
  const value = el?.get(property);
  return typeof value === 'boolean' ? value : undefined;
}

export function child(el: ModdleElement | undefined, property: string): ModdleElement | undefined {
  const value = el?.get(property);
  return isElement(value) ? value : undefined;
}

export function children(el: ModdleElement | undefined, property: string): ModdleElement[] {
  const value = el?.get(property);
  return Array.isArray(value) ? value.filter(isElement) : [];
}

/** The body of a `tFormalExpression` (condition, timer value, loop cardinality), trimmed. */
export function body(el: ModdleElement | undefined): string | undefined {
  return text(el, 'body');
}

/** `bpmn:UserTask` → `userTask`: the element name as written in BPMN XML. */
export function tagName(el: ModdleElement): string {
  const [prefix, local] = el.$type.includes(':') ? el.$type.split(':', 2) : ['', el.$type];
  const name = local.charAt(0).toLowerCase() + local.slice(1);
  return prefix === 'bpmn' || prefix === '' ? name : `${prefix}:${name}`;
}

/** The values of `<extensionElements>`, optionally only those of one type. */
export function extensions(el: ModdleElement, type?: string): ModdleElement[] {
  const values = children(child(el, 'extensionElements'), 'values');
  return type ? values.filter((value) => value.$type === type) : values;
}

/** Quotes an element id for messages: `userTask 'approve'`. */
export function describe(el: ModdleElement): string {
  return el.id ? `${tagName(el)} '${el.id}'` : tagName(el);
}
