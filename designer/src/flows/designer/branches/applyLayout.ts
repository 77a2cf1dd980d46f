/**
 * Automatic layout after an insert action: bpmn-auto-layout computes where everything goes
 * (layoutResult.ts) and ONE command moves the shapes and redraws the flows there. Only the
 * geometry changes, so every semantic property stays as it was.
 *
 * The layout is computed asynchronously after the insert command ran, so it is a command of
 * its own; it joins the insert's undo step (one 撤销 undoes both) by taking over the insert's
 * action id, which is how diagram-js groups the commands nested in one execution.
 */
import type { DiagramElement, Services } from '../modeler.ts';
import { computeLayout, type Layout, type LayoutTools } from './layoutResult.ts';
import { centre } from './nodeKinds.ts';

export const APPLY_LAYOUT = 'lz.applyLayout';

interface ApplyLayoutContext {
  layout: Layout;
  /** The undo-group id of the command this layout completes. */
  mergeWith?: unknown;
}

/** diagram-js CommandStack internals read to group undo steps (see the file comment). */
interface StackInternals {
  _stack?: { id?: unknown }[];
  _stackIdx?: number;
  _currentExecution?: { actions?: { id?: unknown }[] };
}

/** The undo-group id of the last executed command (undefined if diagram-js changed inside). */
export function lastUndoGroup(services: Services): unknown {
  const stack = services.commandStack as unknown as StackInternals;
  return stack._stack && typeof stack._stackIdx === 'number' ? stack._stack[stack._stackIdx]?.id : undefined;
}

function joinUndoGroup(services: Services, group: unknown) {
  const stack = services.commandStack as unknown as StackInternals;
  const base = stack._currentExecution?.actions?.[0];
  // Only when the layout directly follows the command it completes.
  if (base && group !== undefined && lastUndoGroup(services) === group) base.id = group;
}

const isShape = (element: DiagramElement) => !element.waypoints && element.type !== 'label' && !element.labelTarget;

export function registerApplyLayout(services: Services): void {
  const { modeling, elementRegistry } = services;
  class ApplyLayoutHandler {
    preExecute({ layout, mergeWith }: ApplyLayoutContext) {
      joinUndoGroup(services, mergeWith);
      const root = services.canvas.getRootElement();
      const shapes = elementRegistry.filter((element) => isShape(element) && element.parent === root && layout.shapes.has(element.id));
      // Hosts first: a boundary event moves with its host, then to its own place.
      shapes.sort((a, b) => Number(a.type === 'bpmn:BoundaryEvent') - Number(b.type === 'bpmn:BoundaryEvent'));
      for (const shape of shapes) {
        const bounds = layout.shapes.get(shape.id)!;
        const now = centre(shape);
        const delta = { x: Math.round(bounds.x + bounds.width / 2 - now.x), y: Math.round(bounds.y + bounds.height / 2 - now.y) };
        // moveElements (not moveShape) takes the shape's external label along.
        if (delta.x !== 0 || delta.y !== 0) modeling.moveElements([shape], delta);
      }
      for (const [id, waypoints] of layout.edges) {
        const connection = elementRegistry.get(id);
        if (connection?.waypoints && waypoints.length >= 2) modeling.updateWaypoints(connection, waypoints);
      }
    }
    execute() {
      return [];
    }
    revert() {
      return [];
    }
  }
  services.commandStack.registerHandler(APPLY_LAYOUT, ApplyLayoutHandler);
}

/**
 * Whether bpmn-auto-layout can lay this diagram out without losing anything: one process, no
 * expanded sub-process (it would collapse them), no pools or lanes.
 */
export function canAutoLayout(services: Services): boolean {
  if (services.canvas.getRootElement().type !== 'bpmn:Process') return false;
  return !services.elementRegistry.filter((element) => /SubProcess|Participant|Lane|Transaction|AdHoc/.test(element.type)).length;
}

/** Lays the diagram out; `mergeWith` (lastUndoGroup after an insert) makes it one undo step with it. */
export async function autoLayout(services: Services, xml: string, tools: LayoutTools, mergeWith?: unknown): Promise<boolean> {
  if (!canAutoLayout(services)) return false;
  const layout = await computeLayout(xml, tools);
  services.commandStack.execute(APPLY_LAYOUT, { layout, mergeWith });
  return true;
}
