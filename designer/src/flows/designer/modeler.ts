/**
 * The slice of bpmn-js / diagram-js services the designer panels use, typed loosely on
 * purpose (bpmn-js's own types model every service; we need a handful of calls), plus the
 * helpers every panel shares: reading the diagram and writing settings as undoable commands.
 */
import { readNodeSettings, writeNodeSettings, type ModdleLike, type NodeSettings } from '../model/liuzhuanExtensions.ts';

export interface BusinessObject extends ModdleLike {
  id: string;
  name?: string;
  eventDefinitions?: unknown[];
  conditionExpression?: { body?: string };
  default?: BusinessObject;
  get(name: string): unknown;
}

export interface DiagramElement {
  id: string;
  type: string;
  businessObject: BusinessObject;
  x: number;
  y: number;
  width: number;
  height: number;
  parent?: DiagramElement;
  labelTarget?: DiagramElement;
  incoming: DiagramElement[];
  outgoing: DiagramElement[];
  source?: DiagramElement;
  target?: DiagramElement;
  waypoints?: unknown[];
}

export interface Services {
  modeling: {
    updateProperties(element: DiagramElement, props: Record<string, unknown>): void;
    updateModdleProperties(element: DiagramElement, moddleElement: ModdleLike, props: Record<string, unknown>): void;
    appendShape(source: DiagramElement, shape: unknown, position: { x: number; y: number }, target?: DiagramElement): DiagramElement;
    moveElements(elements: DiagramElement[], delta: { x: number; y: number }): void;
    reconnectStart(connection: DiagramElement, source: DiagramElement, docking: { x: number; y: number }): void;
    reconnectEnd(connection: DiagramElement, target: DiagramElement, docking: { x: number; y: number }): void;
    createShape(shape: DiagramElement, position: { x: number; y: number }, parent: DiagramElement): DiagramElement;
    connect(source: DiagramElement, target: DiagramElement, attrs?: Record<string, unknown>): DiagramElement;
    moveShape(shape: DiagramElement, delta: { x: number; y: number }): void;
    updateWaypoints(connection: DiagramElement, waypoints: { x: number; y: number }[]): void;
  };
  moddle: {
    create(type: string, attrs?: Record<string, unknown>): ModdleLike;
    fromXML(xml: string): Promise<{ rootElement: unknown }>;
  };
  bpmnFactory: { create(type: string, attrs?: Record<string, unknown>): BusinessObject };
  elementFactory: { createShape(attrs: Record<string, unknown>): DiagramElement };
  elementRegistry: { get(id: string): DiagramElement | undefined; filter(fn: (element: DiagramElement) => boolean): DiagramElement[]; getAll(): DiagramElement[] };
  canvas: {
    getRootElement(): DiagramElement;
    addMarker(element: DiagramElement | string, marker: string): void;
    removeMarker(element: DiagramElement | string, marker: string): void;
    scrollToElement(element: DiagramElement): void;
    zoom(scale: 'fit-viewport' | number, center?: 'auto'): number;
    scroll(delta: { dx: number; dy: number }): void;
    viewbox(box?: { x: number; y: number; width: number; height: number }): Viewbox;
  };
  selection: { select(element: DiagramElement | null): void; get(): DiagramElement[] };
  commandStack: {
    undo(): void;
    redo(): void;
    canUndo(): boolean;
    canRedo(): boolean;
    execute(command: string, context: Record<string, unknown>): void;
    registerHandler(command: string, handler: unknown): void;
  };
  overlays: { add(element: string, type: string, overlay: Record<string, unknown>): string; remove(filter: { type: string }): void };
  eventBus: {
    on(event: string, fn: (event: { newSelection?: DiagramElement[]; element?: DiagramElement }) => void): void;
    fire(event: string, data?: Record<string, unknown>): void;
  };
  contextPad: { open(element: DiagramElement, force?: boolean): void; close(): void; isOpen(element?: DiagramElement): boolean };
  /** Ours (branches/branchActions.ts): the no-code insert actions. */
  lzBranchActions: {
    addNode(flow: DiagramElement, kind: 'approval' | 'fill'): Promise<void>;
    addBranch(element: DiagramElement, kind: 'condition' | 'parallel'): Promise<void>;
    flowFor(element: DiagramElement): DiagramElement | undefined;
    openKindMenu(flow: DiagramElement, event: MouseEvent): void;
  };
  popupMenu: { open(target: DiagramElement, providerId: string, position: { x: number; y: number; cursor?: { x: number; y: number } }, options?: Record<string, unknown>): void; close(): void };
}

export interface Viewbox {
  x: number;
  y: number;
  width: number;
  height: number;
  scale: number;
  /** The diagram's own extent, in diagram coordinates. */
  inner: { x: number; y: number; width: number; height: number };
  /** The visible container, in screen pixels. */
  outer: { width: number; height: number };
}

export interface ModelerLike {
  importXML(xml: string): Promise<{ warnings: unknown[] }>;
  saveXML(options: { format: boolean }): Promise<{ xml?: string }>;
  get<K extends keyof Services>(name: K): Services[K];
  destroy(): void;
}

export const isUserTask = (element: DiagramElement | undefined) => element?.type === 'bpmn:UserTask';

/** The process's none start event (the one a flow form submission starts at). */
export function startEventOf(services: Services): DiagramElement | undefined {
  const root = services.canvas.getRootElement();
  return services.elementRegistry.filter(
    (element) => element.type === 'bpmn:StartEvent' && element.parent === root && !element.businessObject.eventDefinitions?.length,
  )[0];
}

/**
 * `<liuzhuan:entry key="form">` in the process's `liuzhuan:settings`: the other place the engine
 * reads a flow form from (engine/forms/flowBinding.ts), used by hand-written models such as the
 * template processes in workflows/.
 */
function settingsFormEntry(services: Services): ModdleLike | undefined {
  const process = services.canvas.getRootElement().businessObject;
  const extensions = (process.get('extensionElements') as { values?: ModdleLike[] } | undefined)?.values ?? [];
  for (const settings of extensions) {
    if (settings.$type !== 'liuzhuan:Settings') continue;
    const entries = (settings.entries as ModdleLike[] | undefined) ?? [];
    const entry = entries.find((candidate) => candidate.key === 'form');
    if (entry) return entry;
  }
  return undefined;
}

export function boundFormKey(services: Services): string | undefined {
  const key = startEventOf(services)?.businessObject.get('camunda:formKey');
  if (typeof key === 'string' && key !== '') return key;
  const fromSettings = settingsFormEntry(services)?.value;
  return typeof fromSettings === 'string' && fromSettings.trim() !== '' ? fromSettings.trim() : undefined;
}

/**
 * Binds the flow form where the model already keeps it: a settings entry is changed in place
 * (writing the start event's key beside it would make the two disagree, which deploy refuses);
 * otherwise the start event's camunda:formKey, as Camunda Modeler writes it.
 */
export function bindFormKey(services: Services, start: DiagramElement, formKey: string | undefined): void {
  const entry = settingsFormEntry(services);
  if (entry) {
    services.modeling.updateModdleProperties(services.canvas.getRootElement(), entry, { value: formKey ?? '' });
    if (start.businessObject.get('camunda:formKey')) services.modeling.updateProperties(start, { 'camunda:formKey': undefined });
    return;
  }
  services.modeling.updateProperties(start, { 'camunda:formKey': formKey || undefined });
}

export function userTasks(services: Services): DiagramElement[] {
  return services.elementRegistry.filter((element) => element.type === 'bpmn:UserTask');
}

export function settingsOf(element: DiagramElement): NodeSettings {
  return readNodeSettings(element.businessObject);
}

/** One undoable command: the element's extension elements replaced with `next` written in. */
export function updateSettings(services: Services, element: DiagramElement, patch: Partial<NodeSettings>): void {
  const next = { ...settingsOf(element), ...patch };
  services.modeling.updateProperties(element, { extensionElements: writeNodeSettings(services.moddle, element.businessObject, next) });
}
