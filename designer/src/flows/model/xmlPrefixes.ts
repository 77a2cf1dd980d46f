/**
 * A prefix the file binds to another namespace than a loaded moddle package does — Activiti
 * and old Camunda models write `xmlns:camunda="http://activiti.org/bpmn"` — is renamed before
 * bpmn-moddle reads the file. Its parser would rename it `ns0` without telling its writer,
 * which then cannot write those attributes at all (moddle-xml issue #27's kind). Only the
 * prefix changes: every element and attribute keeps its namespace and local name, and
 * `xsi:type` values naming the prefix follow it. Uses the browser's DOMParser/XMLSerializer.
 */

const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export interface Package {
  prefix: string;
  uri: string;
}

/** `xml` unchanged when nothing clashes (the common case costs one regular expression pass). */
export function renameClashingPrefixes(xml: string, packages: Package[]): string {
  const known = new Map(packages.map((p) => [p.prefix, p.uri]));
  const clashes = new Map<string, string>();
  for (const match of xml.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*(["'])(.*?)\2/g)) {
    const [, prefix, , uri] = match;
    const packageUri = known.get(prefix!);
    if (packageUri !== undefined && packageUri !== uri) clashes.set(prefix!, uri!);
  }
  if (clashes.size === 0) return xml;
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xml;
  const declared = new Set(Array.from(xml.matchAll(/xmlns:([A-Za-z_][\w.-]*)/g), (m) => m[1]!));
  const renames = new Map<string, string>();
  for (const [prefix, uri] of clashes) {
    let next = prefix;
    for (let n = 1; declared.has(next) || known.has(next); n++) next = `${prefix}${n}`;
    declared.add(next);
    renames.set(`${prefix} ${uri}`, next);
  }
  const renamed = (prefix: string | null, uri: string | null) => (prefix && uri ? renames.get(`${prefix} ${uri}`) : undefined);
  const elements = Array.from(doc.getElementsByTagName('*'));
  // xsi:type values first, while every prefix still resolves as the file declared it.
  for (const element of elements) renameTypeValue(element, renamed);
  for (const element of elements) rename(element, renamed);
  const declaration = /^<\?xml[^>]*\?>\s*/.exec(xml)?.[0] ?? '';
  return declaration + new XMLSerializer().serializeToString(doc.documentElement);
}

type Renamed = (prefix: string | null, uri: string | null) => string | undefined;

function renameTypeValue(element: Element, renamed: Renamed): void {
  const type = element.getAttributeNS(XSI, 'type');
  const [prefix, local] = type?.split(':') ?? [];
  const to = prefix && local ? renamed(prefix, element.lookupNamespaceURI(prefix)) : undefined;
  if (to) element.setAttributeNS(XSI, element.getAttributeNodeNS(XSI, 'type')!.name, `${to}:${local}`);
}

function rename(element: Element, renamed: Renamed): void {
  for (const attr of Array.from(element.attributes)) {
    if (attr.namespaceURI === XMLNS && attr.prefix === 'xmlns') {
      const to = renamed(attr.localName, attr.value);
      if (to) {
        element.removeAttributeNode(attr);
        element.setAttributeNS(XMLNS, `xmlns:${to}`, attr.value);
      }
      continue;
    }
    const to = renamed(attr.prefix, attr.namespaceURI);
    if (to) {
      element.removeAttributeNode(attr);
      element.setAttributeNS(attr.namespaceURI, `${to}:${attr.localName}`, attr.value);
    }
  }
  const to = renamed(element.prefix, element.namespaceURI);
  if (!to || !element.parentNode) return;
  const replacement = element.ownerDocument.createElementNS(element.namespaceURI, `${to}:${element.localName}`);
  for (const attr of Array.from(element.attributes)) replacement.setAttributeNodeNS(attr.cloneNode() as Attr);
  while (element.firstChild) replacement.appendChild(element.firstChild);
  element.parentNode.replaceChild(replacement, element);
}
