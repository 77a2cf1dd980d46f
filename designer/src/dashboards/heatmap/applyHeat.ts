/**
 * Paints the heat map onto a drawn bpmn-js diagram: a marker class per node (`lz-heat
 * lz-heat-<level>`, coloured in heatmap.css) and a badge under each node that was reached
 * (count, average and p90 time, open now, SLA breaches). Badges are built with textContent,
 * never HTML from data. Returns the function that takes it all off again.
 */
import type { HeatmapNode } from '../model.ts';
import { formatDuration, heatLevels, type HeatMode } from './heatScale.ts';

interface Canvas {
  addMarker(element: string, marker: string): void;
  removeMarker(element: string, marker: string): void;
}
interface Overlays {
  add(element: string, type: string, overlay: { position: { bottom?: number; left?: number; top?: number; right?: number }; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface Registry {
  get(id: string): unknown;
  getAll(): { id: string; type: string; labelTarget?: unknown }[];
}
interface EventBus {
  on(event: string, callback: (event: { element: { id: string } }) => void): void;
  off(event: string, callback: (event: { element: { id: string } }) => void): void;
}
export interface DiagramViewer {
  get<T>(name: string): T;
}

export interface HeatLabels {
  entered: string;
  avg: string;
  p90: string;
  open: string;
  breached: string;
}

const OVERLAY = 'lz-heatmap';
const isNode = (element: { type: string; labelTarget?: unknown }) =>
  !element.labelTarget && element.type !== 'label' && !/Process|Collaboration|Participant|Lane|SequenceFlow|Association|TextAnnotation|DataObject|DataStore/.test(element.type);

export function applyHeat(
  viewer: DiagramViewer,
  nodes: HeatmapNode[],
  mode: HeatMode,
  labels: HeatLabels,
  locale: 'zh-CN' | 'en',
  onNodeClick: (elementId: string) => void,
): () => void {
  const canvas = viewer.get<Canvas>('canvas');
  const overlays = viewer.get<Overlays>('overlays');
  const registry = viewer.get<Registry>('elementRegistry');
  const eventBus = viewer.get<EventBus>('eventBus');
  const levels = heatLevels(nodes, mode);
  const byId = new Map(nodes.map((node) => [node.elementId, node]));
  const marked: [string, string][] = [];

  for (const element of registry.getAll()) {
    if (!isNode(element)) continue;
    const marker = `lz-heat-${levels.get(element.id) ?? 0}`;
    canvas.addMarker(element.id, 'lz-heat');
    canvas.addMarker(element.id, marker);
    marked.push([element.id, marker]);
    const node = byId.get(element.id);
    if (!node || node.entered === 0) continue;
    const badge = document.createElement('div');
    badge.className = 'lz-heat-badge';
    badge.dataset.testid = `heat-badge-${element.id}`;
    badge.dataset.entered = String(node.entered);
    const line = (className: string, text: string) => {
      const span = document.createElement('span');
      span.className = className;
      span.textContent = text;
      badge.appendChild(span);
    };
    line('count', `${labels.entered} ${node.entered}`);
    if (node.avgMs !== null) line('time', ` · ${labels.avg} ${formatDuration(node.avgMs, locale)} · ${labels.p90} ${formatDuration(node.p90Ms, locale)}`);
    if (node.open > 0) line('open', ` · ${labels.open} ${node.open}`);
    if (node.slaBreached > 0) line('breached', ` · ${labels.breached} ${node.slaBreached}`);
    badge.addEventListener('click', () => onNodeClick(element.id));
    overlays.add(element.id, OVERLAY, { position: { top: -22, left: 0 }, html: badge });
  }

  const click = (event: { element: { id: string } }) => {
    if (byId.has(event.element.id)) onNodeClick(event.element.id);
  };
  eventBus.on('element.click', click);

  return () => {
    eventBus.off('element.click', click);
    overlays.remove({ type: OVERLAY });
    for (const [id, marker] of marked) {
      // The diagram may have been re-imported meanwhile; only touch elements still there.
      if (!registry.get(id)) continue;
      canvas.removeMarker(id, 'lz-heat');
      canvas.removeMarker(id, marker);
    }
  };
}
