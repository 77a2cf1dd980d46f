/**
 * Flows merged per BPMN element by id (engine/packages/merge/bpmnItems.ts): an element's own
 * settings (with its sequence flow condition), its extension elements and its diagram shape are
 * three items, so one side renaming a task and the other changing its assignee merge cleanly.
 * An element added or deleted is one item with all three. A node deleted on one side while the
 * other still connects a sequence flow (or a boundary event) to it is a conflict; resolved to
 * the delete, the flows and boundary events on it go too. The merged model is written with
 * bpmn-moddle, so it parses and deploys like any saved model.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { ValidationError } from '../../errors.ts';
import type { PackageWorkflow } from '../format.ts';
import { CHILD_COLLECTIONS, modelItems, newModdle, parseModel, type ModelItem, type ModelItems, type Moddle } from './bpmnItems.ts';
import { mergeKeyedList, sameValue, type Maybe, type MergeContext } from './threeWay.ts';
import type { MergeLocation, MergeSide } from './types.ts';

/** Most items (flow elements, artifacts, root elements) one model may have for a merge. */
export const MAX_MERGE_ELEMENTS = 5000;

type Sides<T> = { base: T; ours: T; theirs: T };

interface Kept {
  item: ModelItem;
  extensions: ModdleElement | undefined;
  di: ModdleElement | undefined;
}

/** The whole of an item, for adds and deletes and what a conflict shows. */
function whole(item: ModelItem | undefined): unknown {
  return item ? { ...(item.core as object), extensions: item.extensions ?? null, di: item.diValue ?? null } : undefined;
}

function pick<T>(side: MergeSide, ours: T, theirs: T): T {
  return side === 'theirs' ? theirs : ours;
}

async function readSides(moddle: Moddle, processId: string, xml: Sides<string>): Promise<Sides<ModelItems>> {
  const read = async (name: keyof Sides<string>) => {
    try {
      const items = modelItems(await parseModel(moddle, xml[name]), processId);
      if (items.items.size > MAX_MERGE_ELEMENTS) throw new Error(`it has ${items.items.size} elements; a merge takes at most ${MAX_MERGE_ELEMENTS}`);
      return items;
    } catch (error) {
      const message = `Workflow "${processId}" of the ${name === 'ours' ? 'installed app' : name === 'theirs' ? 'incoming package' : 'base package'} cannot be merged: ${(error as Error).message}`;
      throw new ValidationError(message, [{ pointer: `/workflows/${processId}`, message }], 'package_merge_invalid_model');
    }
  };
  return { base: await read('base'), ours: await read('ours'), theirs: await read('theirs') };
}

/** The ids a kept element needs: flow ends, the activity a boundary event sits on. */
function needs(element: ModdleElement): string[] {
  const ids: string[] = [];
  for (const property of ['sourceRef', 'targetRef', 'attachedToRef']) {
    const ref = element[property] as ModdleElement | undefined;
    if (ref?.id && (element.$type === 'bpmn:SequenceFlow' || element.$type === 'bpmn:BoundaryEvent')) ids.push(ref.id);
  }
  return ids;
}

/** Merges one process model; the merged BPMN XML. */
export async function mergeWorkflowXml(ctx: MergeContext, processId: string, xml: Sides<string>): Promise<string> {
  const moddle = newModdle();
  const sides = await readSides(moddle, processId, xml);
  const at = (path: string): MergeLocation => ({ part: 'workflow', key: processId, path });
  const ids = [...new Set([...sides.ours.items.keys(), ...sides.theirs.items.keys(), ...sides.base.items.keys()])];
  const kept = new Map<string, Kept>();
  /** Deleted on one side, unchanged on the other: may turn into a conflict if still connected. */
  const oneSidedDeletes = new Map<string, MergeSide>();
  for (const id of ids) {
    const [b, o, t] = [sides.base.items.get(id), sides.ours.items.get(id), sides.theirs.items.get(id)];
    if (!b || !o || !t) {
      const side = ctx.side(at(id), whole(b), whole(o), whole(t));
      const chosen = pick(side, o, t);
      if (chosen) kept.set(id, { item: chosen, extensions: chosen.element.extensionElements as ModdleElement | undefined, di: chosen.di });
      else if (b && sameValue(whole(o ?? t), whole(b))) oneSidedDeletes.set(id, o ? 'theirs' : 'ours');
      continue;
    }
    const core = pick(ctx.side(at(id), b.core, o.core, t.core), o, t);
    const extensions = pick(ctx.side(at(`${id}#extensions`), b.extensions, o.extensions, t.extensions), o, t);
    const di = pick(ctx.side(at(`${id}#di`), b.diValue, o.diValue, t.diValue), o, t);
    kept.set(id, { item: core, extensions: extensions.element.extensionElements as ModdleElement | undefined, di: di.di });
  }
  restoreConnectedNodes(ctx, processId, sides, kept, oneSidedDeletes);
  return writeMerged(moddle, processId, sides, kept);
}

/**
 * A node one side deleted that the merged model still connects to (a flow or boundary event
 * the other side added or kept changed): a conflict. Kept (ours/theirs as resolved) the node
 * comes back; deleted, everything hanging on it goes.
 */
function restoreConnectedNodes(ctx: MergeContext, processId: string, sides: Sides<ModelItems>, kept: Map<string, Kept>, deletes: Map<string, MergeSide>): void {
  const hanging = new Map<string, string[]>();
  for (const [id, { item }] of kept) {
    for (const needed of needs(item.element)) if (!kept.has(needed)) hanging.set(needed, [...(hanging.get(needed) ?? []), id]);
  }
  for (const [nodeId, dependents] of hanging) {
    const deletedBy = deletes.get(nodeId);
    if (!deletedBy) continue;
    const location: MergeLocation = { part: 'workflow', key: processId, path: nodeId };
    const index = ctx.changes.findIndex((change) => change.part === 'workflow' && change.key === processId && change.path === nodeId);
    if (index >= 0) ctx.changes.splice(index, 1);
    const keeper = deletedBy === 'ours' ? sides.theirs : sides.ours;
    const node = keeper.items.get(nodeId)!;
    const side = ctx.conflict(
      location,
      whole(sides.base.items.get(nodeId)),
      deletedBy === 'ours' ? null : whole(node),
      deletedBy === 'theirs' ? null : whole(node),
      `deleted on one side, but ${dependents.map((id) => `'${id}'`).join(', ')} still connect${dependents.length === 1 ? 's' : ''} to it`,
    );
    if (side !== deletedBy) kept.set(nodeId, { item: node, extensions: node.element.extensionElements as ModdleElement | undefined, di: node.di });
  }
  // What still hangs on a node that is gone (the delete chosen) goes with it, transitively.
  let removed = true;
  while (removed) {
    removed = false;
    for (const [id, { item }] of kept) {
      if (needs(item.element).some((needed) => !kept.has(needed))) {
        kept.delete(id);
        removed = true;
      }
    }
  }
}

/** Ours' order, then what only theirs has after the element it follows there. */
function combinedOrder(ours: string[], theirs: string[], keep: (id: string) => boolean): string[] {
  const result = ours.filter(keep);
  theirs.forEach((id, index) => {
    if (!keep(id) || result.includes(id)) return;
    const before = theirs.slice(0, index).reverse().find((candidate) => result.includes(candidate));
    result.splice(before === undefined ? result.length : result.indexOf(before) + 1, 0, id);
  });
  return result;
}

async function writeMerged(moddle: Moddle, processId: string, sides: Sides<ModelItems>, kept: Map<string, Kept>): Promise<string> {
  const definitions = sides.ours.definitions;
  const order = combinedOrder([...sides.ours.items.keys()], [...sides.theirs.items.keys()], (id) => kept.has(id));
  const childrenOf = (parentId: string, collection: string) => order.filter((id) => kept.get(id)!.item.parentId === parentId && kept.get(id)!.item.collection === collection);
  for (const id of order) {
    const { item, extensions } = kept.get(id)!;
    const element = item.element;
    element.extensionElements = extensions;
    if (item.container) {
      for (const collection of CHILD_COLLECTIONS) element[collection] = childrenOf(id, collection).map((child) => kept.get(child)!.item.element);
    }
  }
  definitions.rootElements = childrenOf('(root)', 'rootElements').map((id) => kept.get(id)!.item.element);
  // incoming/outgoing follow the merged sequence flows; a default flow that is gone is dropped.
  const flows = order.map((id) => kept.get(id)!.item.element).filter((element) => element.$type === 'bpmn:SequenceFlow');
  for (const id of order) {
    const element = kept.get(id)!.item.element;
    if (element.$type === 'bpmn:SequenceFlow' || !('incoming' in element.$descriptor.propertiesByName)) continue;
    element.incoming = flows.filter((flow) => (flow.targetRef as ModdleElement | undefined)?.id === id);
    element.outgoing = flows.filter((flow) => (flow.sourceRef as ModdleElement | undefined)?.id === id);
    const fallback = element.default as ModdleElement | undefined;
    if (fallback?.id && !kept.has(fallback.id)) element.default = undefined;
  }
  for (const id of order) {
    const element = kept.get(id)!.item.element;
    for (const laneSet of (element.laneSets as ModdleElement[] | undefined) ?? []) {
      for (const lane of (laneSet.lanes as ModdleElement[] | undefined) ?? []) {
        lane.flowNodeRef = ((lane.flowNodeRef as ModdleElement[] | undefined) ?? []).filter((node) => node.id && kept.has(node.id));
      }
    }
  }
  writeDiagram(definitions, sides, kept, order);
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

/** The merged diagram: each kept element's shape or edge as merged, others' as installed. */
function writeDiagram(definitions: ModdleElement, sides: Sides<ModelItems>, kept: Map<string, Kept>, order: string[]): void {
  let diagrams = (definitions.diagrams as ModdleElement[] | undefined) ?? [];
  if (diagrams.length === 0) diagrams = definitions.diagrams = (sides.theirs.definitions.diagrams as ModdleElement[] | undefined) ?? [];
  const plane = diagrams[0]?.plane as ModdleElement | undefined;
  if (!plane) return;
  const allItems = new Set([...sides.ours.items.keys(), ...sides.theirs.items.keys(), ...sides.base.items.keys()]);
  const others = ((plane.planeElement as ModdleElement[] | undefined) ?? []).filter((shape) => {
    const drawn = (shape.bpmnElement as ModdleElement | undefined)?.id;
    return !drawn || !allItems.has(drawn);
  });
  const merged = order.map((id) => kept.get(id)!.di).filter((di): di is ModdleElement => di !== undefined);
  plane.planeElement = [...others, ...merged];
}

/** Workflows merged model by model; a workflow added or deleted on one side is one item. */
export async function mergeWorkflows(ctx: MergeContext, base: PackageWorkflow[], ours: PackageWorkflow[], theirs: PackageWorkflow[]): Promise<PackageWorkflow[]> {
  const pending: Array<Promise<void>> = [];
  // The version is informative (the exporting server's): only the model is compared.
  const model = (workflow: Maybe<PackageWorkflow>) => workflow && { processId: workflow.processId, xml: workflow.xml };
  const merged = mergeKeyedList(ctx, { part: 'workflow', key: '*' }, { base, ours, theirs }, (workflow) => workflow.processId, (processId, b, o, t): Maybe<PackageWorkflow> => {
    if (!b || !o || !t) return pick(ctx.side({ part: 'workflow', key: processId, path: '(workflow)' }, model(b), model(o), model(t)), o, t);
    if (b.xml === o.xml && b.xml === t.xml) return o;
    const result: PackageWorkflow = { ...o };
    // Merged element by element even when one side kept the model, so the changes list names
    // the elements; the text of the side that changed is kept as it was written then.
    pending.push(
      mergeWorkflowXml(ctx, processId, { base: b.xml, ours: o.xml, theirs: t.xml }).then((xml) => {
        result.xml = o.xml === t.xml || t.xml === b.xml ? o.xml : o.xml === b.xml ? t.xml : xml;
      }),
    );
    return result;
  });
  await Promise.all(pending);
  return merged;
}
