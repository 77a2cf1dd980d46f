/**
 * A model opened in the designer and downloaded again keeps everything it had (the MIWG round
 * trip, test/e2e/miwg-round-trip.test.ts). bpmn-js and bpmn-moddle lose or add some things on
 * their own; this diagram-js module undoes each one around import and saveXML:
 *  - a prefix bound to another namespace than a loaded package's (`xmlns:camunda=
 *    "http://activiti.org/bpmn"`): the parser renames it `ns0` and the writer then fails on every
 *    such attribute, so the prefix is renamed before parsing (model/xmlPrefixes.ts);
 *  - attributes written with their default value (`isCollection="false"`,
 *    `startQuantity="1"`): the writer leaves defaults out, so they are written back;
 *  - references to nothing in the file (`<outMessageRef>triso:unspecified</outMessageRef>`):
 *    dropped by the parser, so stand-ins carrying the original text are put back for the save;
 *  - diagram elements bpmn-js does not draw (a BPMNEdge without bpmnElement): the save keeps
 *    only drawn ones (BpmnDiOrdering), so they are added back to their plane;
 *  - `isMarkerVisible="true"` that bpmn-js puts on every exclusive gateway without it, and the
 *    empty diagrams it creates for collapsed sub-processes: left out of the save;
 *  - an attribute of a vendor element in that element's own namespace (`triso:x` on
 *    `<triso:allowedValues>`): the writer strips the prefix, so it is written under a marker;
 *  - a carriage return inside a name: written raw it would come back as a space, so `&#13;`.
 * The save's temporary changes are undone once it is written (`saveXML.done`).
 */
import { renameClashingPrefixes } from '../model/xmlPrefixes.ts';

interface PropertyDescriptor {
  name: string;
  type: string;
  ns: { prefix: string; localName: string };
  isAttr?: boolean;
  isMany?: boolean;
  isReference?: boolean;
  isVirtual?: boolean;
  default?: unknown;
}

interface Moddle {
  $type: string;
  $descriptor: {
    isGeneric?: boolean;
    ns: { prefix: string };
    properties?: PropertyDescriptor[];
    propertiesByName?: Record<string, PropertyDescriptor>;
  };
  $attrs?: Record<string, string>;
  $children?: Moddle[];
  [key: string]: unknown;
}

interface ModdleService {
  getPackages(): { prefix: string; uri: string }[];
}

interface EventBus {
  on(event: string, priority: number, callback: (event: Record<string, unknown>) => unknown): void;
}

interface Reference {
  element: Moddle;
  property: string;
  id: string;
}

interface Warning {
  message: string;
  element?: Moddle;
  property?: string;
  value?: string;
}

const isModdle = (value: unknown): value is Moddle => typeof value === 'object' && value !== null && '$type' in value;
const own = (object: object, name: string) => Object.prototype.hasOwnProperty.call(object, name);

/** Every element contained in `root` (references not followed), vendor elements included. */
function* contained(root: Moddle): Generator<Moddle> {
  yield root;
  const children: unknown[] = [...(root.$children ?? [])];
  for (const property of root.$descriptor.properties ?? []) {
    if (property.isReference || property.isVirtual || !own(root, property.name)) continue;
    const value = root[property.name];
    children.push(...(Array.isArray(value) ? value : [value]));
  }
  for (const child of children) if (isModdle(child)) yield* contained(child);
}

/** What the save changed for the while it writes, undone in reverse order afterwards. */
type Undo = () => void;

class RoundTrip {
  static $inject = ['eventBus', 'moddle', 'elementRegistry'];

  private definitions?: Moddle;
  /** Attributes the file wrote with their default value: element → property names. */
  private explicitDefaults = new WeakMap<Moddle, PropertyDescriptor[]>();
  private unresolved: { element: Moddle; property: PropertyDescriptor; id: string; index: number }[] = [];
  private originalDiagrams = new Set<Moddle>();
  private gatewaysWithoutMarker = new Set<Moddle>();
  /** Diagram elements bpmn-js did not draw, by the plane they belong to. */
  private undrawn = new Map<Moddle, Moddle[]>();
  private undo: Undo[] = [];
  /** Attribute names written under a marker (`lz-keep-prefix-<index>`), kept per import. */
  private markers: string[] = [];

  constructor(eventBus: EventBus, private moddle: ModdleService, private elementRegistry: { getAll(): { di?: Moddle }[] }) {
    eventBus.on('import.parse.start', 1000, (event) => renameClashingPrefixes(event.xml as string, this.moddle.getPackages()));
    eventBus.on('import.parse.complete', 1000, (event) => {
      if (event.error || !isModdle(event.definitions)) return;
      this.remember(event.definitions, (event.references ?? []) as Reference[], (event.warnings ?? []) as Warning[]);
    });
    eventBus.on('import.done', 1000, () => this.rememberUndrawn());
    // After BpmnDiOrdering (priority 2000) has rebuilt each drawn plane.
    eventBus.on('saveXML.start', 500, () => this.beforeSave());
    eventBus.on('saveXML.serialized', 500, (event) => this.written(event.xml as string));
    eventBus.on('saveXML.done', 500, () => this.afterSave());
  }

  private remember(definitions: Moddle, references: Reference[], warnings: Warning[]): void {
    this.definitions = definitions;
    this.markers = [];
    this.explicitDefaults = new WeakMap();
    this.gatewaysWithoutMarker.clear();
    this.originalDiagrams = new Set((definitions.diagrams as Moddle[] | undefined) ?? []);
    for (const element of contained(definitions)) {
      const defaults = (element.$descriptor.properties ?? []).filter(
        (p) => p.isAttr && !p.isMany && p.default !== undefined && own(element, p.name) && element[p.name] === p.default,
      );
      if (defaults.length > 0) this.explicitDefaults.set(element, defaults);
      const target = element.bpmnElement;
      if (element.$type === 'bpmndi:BPMNShape' && isModdle(target) && target.$type === 'bpmn:ExclusiveGateway' && !own(element, 'isMarkerVisible')) {
        this.gatewaysWithoutMarker.add(element);
      }
    }
    this.unresolved = [];
    for (const warning of warnings) {
      const { element, property: name, value } = warning;
      if (!warning.message.startsWith('unresolved reference') || !element || !name || value === undefined) continue;
      const property = element.$descriptor.propertiesByName?.[name];
      if (!property) continue;
      // Its place among the element's references of that property, resolved or not.
      const index = references.filter((ref) => ref.element === element && ref.property === name).findIndex((ref) => ref.id === value);
      this.unresolved.push({ element, property, id: value, index: Math.max(index, 0) });
    }
  }

  private rememberUndrawn(): void {
    this.undrawn.clear();
    const drawn = new Set(this.elementRegistry.getAll().map((element) => element.di));
    for (const diagram of this.originalDiagrams) {
      const plane = diagram.plane;
      if (!isModdle(plane)) continue;
      const missing = ((plane.planeElement as Moddle[] | undefined) ?? []).filter((di) => !drawn.has(di));
      if (missing.length > 0) this.undrawn.set(plane, missing);
    }
  }

  private beforeSave(): void {
    const definitions = this.definitions;
    // A save that starts while another is still being written finds its changes in place.
    if (!definitions || this.undo.length > 0) return;
    const change = (apply: () => void, undo: Undo) => {
      apply();
      this.undo.push(undo);
    };
    for (const [plane, missing] of this.undrawn) {
      const list = (plane.get as (name: string) => Moddle[])('planeElement');
      const absent = missing.filter((di) => !list.includes(di));
      if (absent.length > 0) change(() => list.push(...absent), () => absent.forEach((di) => list.splice(list.indexOf(di), 1)));
    }
    const diagrams = (definitions.diagrams as Moddle[] | undefined) ?? [];
    for (const diagram of [...diagrams]) {
      const plane = diagram.plane as Moddle | undefined;
      if (this.originalDiagrams.has(diagram) || ((plane?.planeElement as Moddle[] | undefined)?.length ?? 0) > 0) continue;
      const at = diagrams.indexOf(diagram);
      change(() => diagrams.splice(at, 1), () => diagrams.splice(at, 0, diagram));
    }
    for (const shape of this.gatewaysWithoutMarker) {
      if (shape.isMarkerVisible !== true) continue;
      change(() => delete shape.isMarkerVisible, () => (shape.isMarkerVisible = true));
    }
    for (const { element, property, id, index } of this.unresolved) {
      // A stand-in: the writer only reads a referenced element's id.
      const stub = { id, $type: property.type };
      if (property.isMany) {
        const list = (element.get as (name: string) => unknown[])(property.name);
        change(() => list.splice(Math.min(index, list.length), 0, stub), () => list.splice(list.indexOf(stub), 1));
      } else if (element[property.name] === undefined) {
        change(() => (element[property.name] = stub), () => delete element[property.name]);
      }
    }
    for (const element of contained(definitions)) {
      this.keepDefaults(element, change);
      this.keepOwnPrefix(element, change);
    }
  }

  private keepDefaults(element: Moddle, change: (apply: () => void, undo: Undo) => void): void {
    const attrs = element.$attrs;
    if (!attrs) return;
    for (const property of this.explicitDefaults.get(element) ?? []) {
      if (element[property.name] !== property.default) continue;
      const name = property.ns.prefix === element.$descriptor.ns.prefix ? property.ns.localName : `${property.ns.prefix}:${property.ns.localName}`;
      if (name in attrs) continue;
      change(() => (attrs[name] = String(property.default)), () => delete attrs[name]);
    }
  }

  /** `triso:x` on a `triso:` element: under a marker name the writer leaves alone, renamed in `written`. */
  private keepOwnPrefix(element: Moddle, change: (apply: () => void, undo: Undo) => void): void {
    const generic = element.$descriptor.isGeneric === true;
    const holder: Record<string, unknown> | undefined = generic ? element : element.$attrs;
    const prefix = element.$type.includes(':') ? element.$type.slice(0, element.$type.indexOf(':')) : element.$descriptor.ns.prefix;
    if (!holder) return;
    for (const key of Object.keys(holder)) {
      if (!key.startsWith(`${prefix}:`) || key.startsWith('$')) continue;
      if (!this.markers.includes(key)) this.markers.push(key);
      const marker = `lz-keep-prefix-${this.markers.indexOf(key)}`;
      const value = holder[key];
      change(
        () => {
          delete holder[key];
          holder[marker] = value;
        },
        () => {
          delete holder[marker];
          holder[key] = value;
        },
      );
    }
  }

  private written(xml: string): string {
    const markers = this.markers;
    return xml
      .replace(/ lz-keep-prefix-(\d+)="/g, (whole, index: string) => (markers[Number(index)] ? ` ${markers[Number(index)]}="` : whole))
      .replace(/\r/g, '&#13;');
  }

  private afterSave(): void {
    for (const undo of this.undo.reverse()) undo();
    this.undo = [];
  }
}

export const roundTripModule = {
  __init__: ['lzRoundTrip'],
  lzRoundTrip: ['type', RoundTrip],
};
