/**
 * Fit the whole diagram into the canvas with room on the left for the palette, never zooming
 * in past 100 %: after an insert the new node is on screen, whatever its place. The extent is
 * taken from the elements' own geometry rather than the SVG's bounding box, which can still
 * hold the previous drawing right after a command.
 */
import type { DiagramElement, Services } from '../modeler.ts';

/** The bpmn-js palette's width (two columns) plus its offset from the canvas edge. */
const PALETTE = 130;
const MARGIN = 32;

function extentOf(elements: DiagramElement[]) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number, width = 0, height = 0) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + width);
    maxY = Math.max(maxY, y + height);
  };
  for (const element of elements) {
    if (element.waypoints) for (const point of element.waypoints as { x: number; y: number }[]) add(point.x, point.y);
    else if (Number.isFinite(element.x) && Number.isFinite(element.width)) add(element.x, element.y, element.width, element.height);
  }
  return Number.isFinite(minX) ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : undefined;
}

export function fitDiagram(services: Services): void {
  const { canvas } = services;
  const root = canvas.getRootElement();
  const inner = extentOf(services.elementRegistry.filter((element) => element !== root && element.type !== 'bpmn:Process'));
  const { outer } = canvas.viewbox();
  if (!inner || !outer.width || !outer.height) return;
  const scale = Math.min(1, (outer.width - PALETTE - 2 * MARGIN) / Math.max(inner.width, 1), (outer.height - 2 * MARGIN) / Math.max(inner.height, 1));
  if (!(scale > 0)) return;
  // Centre the diagram in the space right of the palette.
  const left = (PALETTE + (outer.width - PALETTE - inner.width * scale) / 2) / scale;
  const top = (outer.height - inner.height * scale) / 2 / scale;
  canvas.viewbox({ x: inner.x - left, y: inner.y - top, width: outer.width / scale, height: outer.height / scale });
}
