/**
 * A BPMN model seen as mergeable items: every flow element and artifact of one process (nested
 * sub-processes included), the process itself, and the other root elements (messages, signals,
 * errors…), each by id with its container, its own settings, its extension elements and its
 * diagram shape or edge. Values are canonical JSON (references as ids) so two parses compare.
 * The parse is synchronous CPU work that grows with the model: the merge runs in the model
 * worker (packages/api.ts → engine/bpmn/compilePool.ts), never on the server's event loop.
 */
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { createRequire } from 'node:module';
import { aliasActivitiNamespace, normalizeAttributeSpacing } from '../../bpmn/xmlText.ts';

const require = createRequire(import.meta.url);

/** The same extension packages engine/bpmn/parse.ts reads models with (its loader is private). */
function loadPackages(): Record<string, unknown> {
  const camunda = require('camunda-bpmn-moddle/resources/camunda.json');
  const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json') as { types: { name: string }[] };
  const liuzhuan = require('../../bpmn/liuzhuan.json');
  // As in parse.ts: Camunda and Zeebe both define TemplateSupported, and moddle refuses the pair.
  return { camunda, zeebe: { ...zeebe, types: zeebe.types.filter((type) => type.name !== 'TemplateSupported') }, liuzhuan };
}

const packages = loadPackages();

export type Moddle = BpmnModdle & { toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }> };

export function newModdle(): Moddle {
  return new BpmnModdle(packages) as Moddle;
}

export async function parseModel(moddle: Moddle, xml: string): Promise<ModdleElement> {
  const { rootElement } = await moddle.fromXML(aliasActivitiNamespace(normalizeAttributeSpacing(xml)), 'bpmn:Definitions');
  return rootElement;
}

/** Children lists a container's items live in: rebuilt from the merged items, not compared. */
export const CHILD_COLLECTIONS = ['flowElements', 'artifacts'] as const;
export type ChildCollection = (typeof CHILD_COLLECTIONS)[number];
/** Derived from the sequence flows (incoming/outgoing) or merged as an item of their own (extensionElements). */
const NOT_COMPARED_LEAF = new Set<string>(['incoming', 'outgoing', 'extensionElements']);
const NOT_COMPARED = new Set<string>([...CHILD_COLLECTIONS, ...NOT_COMPARED_LEAF]);

export interface ModelItem {
  id: string;
  element: ModdleElement;
  /** The container's id (process or sub-process), `(root)` for root elements. */
  parentId: string;
  collection: ChildCollection | 'rootElements';
  /** Own settings and non-extension children, with the container: `{parent, ...}`. */
  core: unknown;
  extensions: unknown;
  di?: ModdleElement;
  diValue: unknown;
  /** A container whose children are items of their own (the merged process and its sub-processes). */
  container: boolean;
}

export interface ModelItems {
  definitions: ModdleElement;
  items: Map<string, ModelItem>;
  /** Diagram elements by the id of what they draw (also those of elements that are not items). */
  diByElementId: Map<string, ModdleElement>;
}

function isElement(value: unknown): value is ModdleElement {
  return Boolean(value) && typeof value === 'object' && typeof (value as ModdleElement).$type === 'string';
}

/** Canonical JSON of a moddle value; `skip` names properties left out at the top level. */
export function canonical(value: unknown, skip: Set<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (!isElement(value)) return value;
  const out: Record<string, unknown> = { $type: value.$type };
  // References (sourceRef, attachedToRef, default…) are not enumerable: the descriptor lists them.
  const declared = ((value.$descriptor as { properties?: Array<{ name: string }> }).properties ?? []).map((property) => property.name);
  const keys = [...new Set([...Object.keys(value), ...declared])].filter((key) => !key.startsWith('$') && !skip.has(key));
  for (const key of keys) {
    const inner = value[key];
    if (inner === undefined || (Array.isArray(inner) && inner.length === 0)) continue;
    const descriptor = value.$descriptor?.propertiesByName?.[key];
    if (descriptor?.isReference) out[key] = Array.isArray(inner) ? inner.map((ref) => (isElement(ref) ? ref.id : ref)) : isElement(inner) ? inner.id : inner;
    else out[key] = canonical(inner);
  }
  if ('$body' in value && value.$body !== undefined) out.$body = value.$body;
  if (Array.isArray(value.$children) && value.$children.length > 0) out.$children = canonical(value.$children);
  const attrs = Object.entries(value.$attrs ?? {}).filter(([name]) => !name.startsWith('xmlns'));
  if (attrs.length > 0) out.$attrs = Object.fromEntries(attrs);
  return out;
}

function array(element: ModdleElement, property: string): ModdleElement[] {
  const value = element[property];
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

/** The items of `processId` in one model; throws when the model has no such process. */
export function modelItems(definitions: ModdleElement, processId: string): ModelItems {
  const items = new Map<string, ModelItem>();
  const diByElementId = new Map<string, ModdleElement>();
  for (const diagram of array(definitions, 'diagrams')) {
    const plane = diagram.plane as ModdleElement | undefined;
    for (const shape of plane ? array(plane, 'planeElement') : []) {
      const drawn = shape.bpmnElement as ModdleElement | undefined;
      if (drawn?.id) diByElementId.set(drawn.id, shape);
    }
  }
  const add = (element: ModdleElement, parentId: string, collection: ModelItem['collection']) => {
    if (!element.id) return;
    const isContainer = element.$type === 'bpmn:Process' || element.$type === 'bpmn:SubProcess' || element.$type === 'bpmn:Transaction' || element.$type === 'bpmn:AdHocSubProcess';
    const container = isContainer && (element.$type !== 'bpmn:Process' || element.id === processId);
    const di = diByElementId.get(element.id);
    items.set(element.id, {
      id: element.id,
      element,
      parentId,
      collection,
      core: { parent: parentId, ...(canonical(element, container ? NOT_COMPARED : NOT_COMPARED_LEAF) as object) },
      extensions: element.extensionElements ? canonical(element.extensionElements) : undefined,
      di,
      diValue: di ? canonical(di) : undefined,
      container,
    });
    if (container) {
      for (const collection of CHILD_COLLECTIONS) for (const child of array(element, collection)) add(child, element.id, collection);
    }
  };
  const roots = array(definitions, 'rootElements');
  if (!roots.some((root) => root.$type === 'bpmn:Process' && root.id === processId)) {
    throw new Error(`the model has no process "${processId}"`);
  }
  for (const root of roots) add(root, '(root)', 'rootElements');
  return { definitions, items, diByElementId };
}
