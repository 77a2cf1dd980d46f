/**
 * The no-code actions inside bpmn-js, as a diagram-js module:
 * - context pad of a node: 添加节点 (after it), 添加条件分支, 添加并行分支;
 * - context pad of a sequence flow, and a small "+" on every flow: 添加节点 here, which opens
 *   a popup menu of node kinds (审批节点, 填写节点).
 * Each action is one insert command followed by the automatic layout (one undo step), then
 * the new node — or, for a condition branch, its conditional flow, whose condition editor the
 * properties panel shows — is selected and the viewport fitted so nothing is off-canvas.
 * Every text goes through the `translate` service (bpmnTranslations.ts).
 */
import { layoutProcess } from 'bpmn-auto-layout';
import type { DiagramElement, Services } from '../modeler.ts';
import { autoLayout, lastUndoGroup, registerApplyLayout } from './applyLayout.ts';
import { canBranch, INSERT_BRANCH, registerInsertBranch, type BranchKind, type InsertBranchContext } from './insertBranch.ts';
import { canInsertOn, INSERT_NODE, registerInsertNode, type InsertNodeContext } from './insertNode.ts';
import { NODE_KINDS, type NodeKind } from './nodeKinds.ts';
import { fitDiagram } from './viewport.ts';

type Translate = (template: string, replacements?: Record<string, string>) => string;
interface Injector {
  get(name: string): unknown;
}
interface BpmnJs {
  saveXML(options: { format: boolean }): Promise<{ xml?: string }>;
}
interface PadEntry {
  group: string;
  className: string;
  title: string;
  action: { click(event: MouseEvent, element: DiagramElement): void };
}

export const ADD_NODE_MENU = 'lz-add-node';
const FLOW_PLUS = 'lz-flow-add';
const KIND_TEXT: Record<NodeKind, { label: string; name: string }> = {
  approval: { label: 'Approval node', name: 'Approval' },
  fill: { label: 'Fill-in node', name: 'Fill in' },
};

/** What the page hears about: the element to select after an action. */
export interface BranchActionsConfig {
  onInserted?(element: DiagramElement): void;
}

class BranchActions {
  static $inject = ['injector', 'config.lzBranchActions'];
  private readonly services: Services;
  private readonly translate: Translate;

  constructor(
    private readonly injector: Injector,
    private readonly config: BranchActionsConfig | undefined,
  ) {
    this.services = new Proxy({} as Services, { get: (_, name: string) => injector.get(name) });
    this.translate = injector.get('translate') as Translate;
    registerInsertNode(this.services);
    registerInsertBranch(this.services);
    registerApplyLayout(this.services);
    (injector.get('contextPad') as { registerProvider(priority: number, provider: unknown): void }).registerProvider(900, this);
    (injector.get('popupMenu') as { registerProvider(id: string, provider: unknown): void }).registerProvider(ADD_NODE_MENU, {
      getPopupMenuEntries: (target: DiagramElement) => this.kindEntries(target),
    });
    const refresh = () => this.showFlowButtons();
    for (const event of ['import.done', 'elements.changed', 'i18n.changed']) this.services.eventBus.on(event, refresh);
  }

  /** The flow a node is added on when the action starts at `element`. */
  flowFor(element: DiagramElement): DiagramElement | undefined {
    if (canInsertOn(element)) return element;
    const outgoing = element.outgoing?.filter((flow) => flow.type === 'bpmn:SequenceFlow') ?? [];
    return outgoing.length === 1 && canInsertOn(outgoing[0]) ? outgoing[0] : undefined;
  }

  getContextPadEntries(element: DiagramElement): Record<string, PadEntry> {
    const t = this.translate;
    const entries: Record<string, PadEntry> = {};
    const flow = element.type === 'bpmn:EndEvent' ? undefined : this.flowFor(element);
    if (flow) {
      entries['lz-add-node'] = {
        group: 'lz',
        className: 'lz-pad-entry lz-pad-add-node',
        title: t(canInsertOn(element) ? 'Add a node on this flow' : 'Add a node after this one'),
        action: { click: (event) => this.openKindMenu(flow, event) },
      };
    }
    const branch = (kind: BranchKind, title: string): void => {
      if (!canBranch(this.services, element, kind)) return;
      entries[`lz-add-${kind}-branch`] = {
        group: 'lz',
        className: `lz-pad-entry lz-pad-${kind}-branch`,
        title: t(title),
        action: { click: () => void this.addBranch(element, kind) },
      };
    };
    branch('condition', 'Add condition branch');
    branch('parallel', 'Add parallel branch');
    return entries;
  }

  private kindEntries(flow: DiagramElement) {
    const entries: Record<string, { label: string; className: string; action(): void }> = {};
    for (const kind of NODE_KINDS) {
      entries[`lz-add-${kind}`] = {
        label: this.translate(KIND_TEXT[kind].label),
        className: kind === 'approval' ? 'bpmn-icon-user-task' : 'bpmn-icon-manual-task',
        action: () => void this.addNode(flow, kind),
      };
    }
    return entries;
  }

  openKindMenu(flow: DiagramElement, event: MouseEvent): void {
    this.services.popupMenu.open(flow, ADD_NODE_MENU, { x: event.clientX, y: event.clientY, cursor: { x: event.clientX, y: event.clientY } }, {
      title: this.translate('Add node'),
      search: false,
    });
  }

  async addNode(flow: DiagramElement, kind: NodeKind): Promise<void> {
    this.services.popupMenu.close();
    const context: InsertNodeContext = { flow, kind, name: this.translate(KIND_TEXT[kind].name) };
    this.services.commandStack.execute(INSERT_NODE, context as unknown as Record<string, unknown>);
    await this.finish(context.created);
  }

  async addBranch(element: DiagramElement, kind: BranchKind): Promise<void> {
    const t = this.translate;
    const context: InsertBranchContext = { element, kind, names: { node: t('Approval'), condition: t('Condition'), otherwise: t('Otherwise') } };
    this.services.commandStack.execute(INSERT_BRANCH, context as unknown as Record<string, unknown>);
    await this.finish(context.conditionFlow ?? context.created);
  }

  /** Layout (joined to the insert's undo step), fit, select what the admin sets up next. */
  private async finish(select: DiagramElement | undefined): Promise<void> {
    const group = lastUndoGroup(this.services);
    const { xml = '' } = await (this.injector.get('bpmnjs') as BpmnJs).saveXML({ format: false });
    try {
      await autoLayout(this.services, xml, { layoutProcess, moddle: this.services.moddle }, group);
    } catch (err) {
      // A diagram bpmn-auto-layout cannot handle keeps the rough placement; still usable.
      console.warn('automatic layout failed', err);
    }
    fitDiagram(this.services);
    if (select) {
      this.services.selection.select(select);
      this.config?.onInserted?.(select);
    }
  }

  /** A "+" button in the middle of every sequence flow: 添加节点 here. */
  private showFlowButtons(): void {
    const { overlays, elementRegistry } = this.services;
    overlays.remove({ type: FLOW_PLUS });
    for (const flow of elementRegistry.filter((element) => canInsertOn(element))) {
      const at = middleOf(flow);
      if (!at) continue;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'lz-flow-add';
      button.textContent = '+';
      button.title = this.translate('Add node');
      button.dataset.testid = `flow-add-${flow.id}`;
      // Where it adds, for people reading the DOM (and tests): between these two nodes.
      button.dataset.source = flow.source!.id;
      button.dataset.target = flow.target!.id;
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        this.openKindMenu(flow, event);
      });
      overlays.add(flow.id, FLOW_PLUS, { position: at, html: button, show: { minZoom: 0.4 } });
    }
  }
}

/** The middle of the flow's longest segment, relative to the flow's bounding box (overlay position). */
function middleOf(flow: DiagramElement): { left: number; top: number } | undefined {
  const points = (flow.waypoints ?? []) as { x: number; y: number }[];
  if (points.length < 2) return undefined;
  let best = { length: -1, x: 0, y: 0 };
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    const length = Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
    if (length > best.length) best = { length, x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }
  const minX = Math.min(...points.map((p) => p.x));
  const minY = Math.min(...points.map((p) => p.y));
  const SIZE = 18;
  return { left: best.x - minX - SIZE / 2, top: best.y - minY - SIZE / 2 };
}

export const branchActionsModule = {
  __init__: ['lzBranchActions'],
  lzBranchActions: ['type', BranchActions],
};
