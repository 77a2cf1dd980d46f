/**
 * The slice of bpmn-moddle 10 that Liuzhuan uses. The package ships no types for its entry
 * point (and @types/bpmn-moddle 9 declares the wrong export), so this is declared here.
 * Properties are `unknown` on purpose: read them through the helpers in `moddleAccess.ts`.
 */
declare module 'bpmn-moddle' {
  export interface ModdlePropertyDescriptor {
    name: string;
    isMany?: boolean;
    isReference?: boolean;
  }

  export interface ModdleElement {
    readonly $type: string;
    $parent?: ModdleElement;
    /** Attributes the meta-model does not know (e.g. `zeebe:modelerTemplate`, vendor extensions). */
    $attrs?: Record<string, string>;
    readonly $descriptor: { propertiesByName: Record<string, ModdlePropertyDescriptor> };
    id?: string;
    get(name: string): unknown;
    set(name: string, value: unknown): void;
    $instanceOf(type: string): boolean;
    [key: string]: unknown;
  }

  export interface ModdleWarning {
    message: string;
    error?: Error;
    element?: ModdleElement;
    property?: string;
    value?: string;
  }

  export interface ModdleReference {
    element: ModdleElement;
    property: string;
    id: string;
  }

  export interface ParseResult {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    references: ModdleReference[];
    warnings: ModdleWarning[];
  }

  /** Thrown by fromXML; `warnings` holds the parser's findings up to the failure. */
  export interface ParseError extends Error {
    warnings?: ModdleWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    fromXML(xml: string, options?: Record<string, unknown>): Promise<ParseResult>;
  }
}
