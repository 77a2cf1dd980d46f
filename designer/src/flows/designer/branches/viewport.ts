/**
 * Fit the whole diagram into the canvas with room on the left for the palette, never zooming
 * in past 100 %: after an insert the new node is on screen, whatever its place.
 */
import type { Services } from '../modeler.ts';

/** The bpmn-js palette's width (two columns) plus its offset from the canvas edge. */
const PALETTE = 130;
const MARGIN = 32;

export function fitDiagram(services: Services): void {
  const { canvas } = services;
  const { inner, outer } = canvas.viewbox();
  if (!inner.width || !inner.height || !outer.width || !outer.height) return;
  const scale = Math.min(1, (outer.width - PALETTE - 2 * MARGIN) / inner.width, (outer.height - 2 * MARGIN) / inner.height);
  if (!(scale > 0)) return;
  const width = outer.width / scale;
  const height = outer.height / scale;
  // Centre the diagram in the space right of the palette.
  const left = (PALETTE + (outer.width - PALETTE - inner.width * scale) / 2) / scale;
  const top = (outer.height - inner.height * scale) / 2 / scale;
  canvas.viewbox({ x: inner.x - left, y: inner.y - top, width, height });
}
