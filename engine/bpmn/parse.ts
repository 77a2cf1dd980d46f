/**
 * BPMN XML → bpmn-moddle object tree, with the Camunda 7, Zeebe and Liuzhuan extensions, and
 * with the interop repairs Camunda models need (see stack-notes, "BPMN interop facts"):
 *  - `<camunda:out source ="x">`: the spacing is normalised before parsing, or saxen drops it;
 *  - the old Activiti extension namespace is read as Camunda's, as Camunda 7 does;
 *  - `messageRef="tns:newInvoice"`: a prefixed reference bpmn-moddle leaves unresolved is
 *    resolved by its local id when the prefix is the target namespace (Camunda does so);
 *  - `<loopDataInputRef>assigneeList</loopDataInputRef>`: Camunda reads it as a variable name;
 *    the raw text is kept in `rawReferences` for the compiler.
 * Parser findings that lose content (a malformed or unknown element) are returned as
 * `problems`, so the compiler refuses the model instead of deploying part of it.
 */
import { BpmnModdle, type ModdleElement, type ModdleWarning, type ParseError } from 'bpmn-moddle';
import { createRequire } from 'node:module';
import { ValidationError } from '../errors.ts';
import type { DeployProblem } from './model.ts';
import { isElement } from './moddleAccess.ts';
import { aliasActivitiNamespace, normalizeAttributeSpacing, parseSaxMessage, PositionIndex } from './xmlText.ts';

const require = createRequire(import.meta.url);

interface Descriptor {
  types: { name: string }[];
  [key: string]: unknown;
}

function loadPackages(): Record<string, unknown> {
  const camunda = require('camunda-bpmn-moddle/resources/camunda.json') as Descriptor;
  const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json') as Descriptor;
  const liuzhuan = require('./liuzhuan.json') as Descriptor;
  // Both Camunda and Zeebe define `TemplateSupported` (modelerTemplate) on the same BPMN
  // types; moddle refuses the override and then drops every <process>. Modeler templates
  // mean nothing to execution, so the Zeebe copy goes (its attributes land in $attrs).
  const zeebeWithoutTemplates = { ...zeebe, types: zeebe.types.filter((type) => type.name !== 'TemplateSupported') };
  return { camunda, zeebe: zeebeWithoutTemplates, liuzhuan };
}

const packages = loadPackages();

export interface ParsedBpmn {
  /** The `bpmn:Definitions` root. */
  definitions: ModdleElement;
  elementsById: Record<string, ModdleElement>;
  /** Recovered findings worth showing (unknown attributes, unresolved references, encoding). */
  warnings: DeployProblem[];
  /** Findings where content was lost: the model must not be deployed as it stands. */
  problems: DeployProblem[];
  positions: PositionIndex;
  /** For references bpmn-moddle could not resolve: element → property (local name) → raw text. */
  rawReferences: WeakMap<ModdleElement, Record<string, string>>;
}

/** The raw text of a reference bpmn-moddle left unresolved, e.g. `loopDataInputRef`. */
export function rawReference(parsed: ParsedBpmn, el: ModdleElement | undefined, property: string): string | undefined {
  return el ? parsed.rawReferences.get(el)?.[property] : undefined;
}

/**
 * Parses `xml`. Throws ValidationError (with line and column) when the text is not a BPMN
 * document at all; everything else is reported through `warnings` and `problems`.
 */
export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  const positions = new PositionIndex(xml);
  const moddle = new BpmnModdle(packages);
  let result;
  try {
    result = await moddle.fromXML(aliasActivitiNamespace(normalizeAttributeSpacing(xml)), 'bpmn:Definitions');
  } catch (err) {
    throw notParsable(err as ParseError, positions);
  }
  const parsed: ParsedBpmn = {
    definitions: result.rootElement,
    elementsById: result.elementsById,
    warnings: [],
    problems: [],
    positions,
    rawReferences: new WeakMap(),
  };
  const seen = new Set<string>();
  for (const warning of result.warnings) {
    // One malformed tag yields several identical messages; report it once.
    if (seen.has(warning.message)) continue;
    seen.add(warning.message);
    classifyWarning(parsed, warning);
  }
  return parsed;
}

function notParsable(err: ParseError, positions: PositionIndex): ValidationError {
  // The thrown message is often generic ("failed to parse document as …"); the parser's
  // warnings hold the position and the real reason.
  const located = [err.message, ...(err.warnings ?? []).map((w) => w.message)]
    .map(parseSaxMessage)
    .find((m) => m.position);
  const info = located ?? parseSaxMessage(err.message);
  const subject = info.subject ? `${info.subject}: ` : '';
  return new ValidationError('The BPMN XML cannot be parsed', [
    {
      pointer: (info.position && positions.idAtOrBefore(info.position)) ?? '',
      message: `Not a valid BPMN document: ${subject}${info.reason}`,
      ...info.position,
    },
  ], 'invalid_bpmn');
}

function classifyWarning(parsed: ParsedBpmn, warning: ModdleWarning): void {
  if (warning.message.startsWith('unresolved reference')) {
    unresolvedReference(parsed, warning);
    return;
  }
  const info = parseSaxMessage(warning.message);
  if (warning.message.startsWith('unparsable content')) {
    const elementId = info.position ? parsed.positions.idAtOrBefore(info.position) : undefined;
    parsed.problems.push({
      elementId,
      ...info.position,
      message: `Unparsable content ${info.subject ?? ''} (${info.reason}): it would be lost, so the model is refused`,
    });
    return;
  }
  const elementId = warning.element?.id;
  parsed.warnings.push({ elementId, ...parsed.positions.of(elementId), message: warning.message.split('\n')[0] });
}

function unresolvedReference(parsed: ParsedBpmn, warning: ModdleWarning): void {
  const { element, property, value } = warning;
  if (!element || !property || value === undefined) return;
  const local = property.includes(':') ? property.slice(property.indexOf(':') + 1) : property;
  const target = prefixedTarget(parsed, value);
  if (target) {
    assignReference(element, property, target);
    return;
  }
  const raw = parsed.rawReferences.get(element) ?? {};
  raw[local] = value;
  parsed.rawReferences.set(element, raw);
  // Camunda's documented use: the text is a process variable name, not an id.
  if (local === 'loopDataInputRef') return;
  const elementId = element.id ?? (isElement(element.$parent) ? element.$parent.id : undefined);
  parsed.warnings.push({
    elementId,
    ...parsed.positions.of(elementId),
    message: `${local} '${value}' does not name any element of this file`,
  });
}

/** `tns:newInvoice` → the element `newInvoice`, when `tns` is bound to the target namespace. */
function prefixedTarget(parsed: ParsedBpmn, value: string): ModdleElement | undefined {
  const colon = value.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = value.slice(0, colon);
  const target = parsed.elementsById[value.slice(colon + 1)];
  if (!target) return undefined;
  const bound = parsed.definitions.$attrs?.[`xmlns:${prefix}`];
  const targetNamespace = parsed.definitions.get('targetNamespace');
  // A prefix bound to another namespace points into an imported file we do not have.
  if (bound !== undefined && bound !== targetNamespace) return undefined;
  return target;
}

function assignReference(element: ModdleElement, property: string, target: ModdleElement): void {
  const descriptor = element.$descriptor.propertiesByName[property];
  if (!descriptor) return;
  if (descriptor.isMany) {
    const list = element.get(descriptor.name);
    if (Array.isArray(list)) list.push(target);
  } else {
    element.set(descriptor.name, target);
  }
}
