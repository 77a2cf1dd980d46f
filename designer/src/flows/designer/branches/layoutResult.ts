/**
 * Runs bpmn-auto-layout on the diagram's XML and reads back only the geometry: each shape's
 * bounds and each flow's waypoints, by element id. The designer applies them to the shapes it
 * already has (applyLayout.ts), so the model itself — names, conditions, default flows,
 * liuzhuan/camunda extension elements — never goes through a second parse and write.
 */

/** bpmn-auto-layout's entry, and a moddle that reads BPMN XML (bpmn-js's own, or bpmn-moddle). */
export interface LayoutTools {
  layoutProcess(xml: string): Promise<string>;
  moddle: { fromXML(xml: string): Promise<{ rootElement: unknown }> };
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface Layout {
  shapes: Map<string, Bounds>;
  edges: Map<string, Point[]>;
}

interface DiElement {
  $type: string;
  bpmnElement?: { id?: string };
  bounds?: Bounds;
  waypoint?: Point[];
}

/** The laid-out geometry of the first process of `xml`. */
export async function computeLayout(xml: string, tools: LayoutTools): Promise<Layout> {
  const laidOut = await tools.layoutProcess(xml);
  const { rootElement } = await tools.moddle.fromXML(laidOut);
  const layout: Layout = { shapes: new Map(), edges: new Map() };
  const diagrams = (rootElement as unknown as { diagrams?: { plane?: { planeElement?: DiElement[] } }[] }).diagrams ?? [];
  for (const element of diagrams[0]?.plane?.planeElement ?? []) {
    const id = element.bpmnElement?.id;
    if (!id) continue;
    if (element.$type === 'bpmndi:BPMNShape' && element.bounds) {
      const { x, y, width, height } = element.bounds;
      layout.shapes.set(id, { x, y, width, height });
    } else if (element.$type === 'bpmndi:BPMNEdge' && element.waypoint) {
      layout.edges.set(id, element.waypoint.map(({ x, y }) => ({ x, y })));
    }
  }
  return layout;
}

/** True when two boxes overlap (touching edges do not count). */
export function overlaps(a: Bounds, b: Bounds): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
