/**
 * MIWG round trip: every reference model of the BPMN Model Interchange Working Group
 * (test/fixtures/corpus/miwg, CC BY 3.0 © BPMN MIWG, provenance in its SOURCES.md) is imported
 * into the flow designer with the 导入 button and downloaded again with 下载 BPMN, the path a
 * person takes, and the two files are compared element by element: every element's namespace,
 * name, attributes (QName values resolved, numbers as numbers), text, and its children per
 * tag — paired by id, else in order — so ids, types, extension elements of any vendor, DI
 * bounds, waypoints and labels all count. Only formatting may differ: prefixes, namespace
 * declarations, indentation, comments, the order of children of different tags or with ids
 * (the writer follows the schema, and puts diagram shapes in drawing order).
 * The fixes this pins down are designer/src/flows/designer/roundTrip.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { bpmn, flow, lineDiagram } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

const MIWG = fileURLToPath(new URL('../fixtures/corpus/miwg', import.meta.url));
const models = readdirSync(MIWG).filter((name) => name.endsWith('.bpmn')).sort();

/**
 * Runs in the page (self-contained: playwright sends its source), where the browser's
 * namespace-aware DOMParser reads both files. Returns every difference, each at its element's path.
 */
function compareInPage([originalXml, exportedXml]: [string, string]): string[] {
  interface XmlNode {
    tag: string;
    attrs: Record<string, string>;
    text: string;
    children: XmlNode[];
  }
  const BPMN = '{http://www.omg.org/spec/BPMN/20100524/MODEL}';
  const DI = '{http://www.omg.org/spec/DD/20100524/DI}';
  const DC = '{http://www.omg.org/spec/DD/20100524/DC}';
  const XSI_TYPE = '{http://www.w3.org/2001/XMLSchema-instance}type';

  const qname = (el: Element, value: string) => {
    const match = /^([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)$/.exec(value.trim());
    const uri = match ? el.lookupNamespaceURI(match[1]!) : null;
    return uri ? `{${uri}}${match![2]}` : value;
  };
  const convert = (el: Element): XmlNode => {
    const attrs: Record<string, string> = {};
    for (const attr of Array.from(el.attributes)) {
      if (attr.name === 'xmlns' || attr.prefix === 'xmlns') continue;
      const name = `{${attr.namespaceURI ?? ''}}${attr.localName}`;
      // An unprefixed xsi:type names a type of the default namespace.
      attrs[name] = name === XSI_TYPE && !attr.value.includes(':') ? `{${el.lookupNamespaceURI(null) ?? ''}}${attr.value}` : qname(el, attr.value);
    }
    let text = '';
    const children: XmlNode[] = [];
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType === 1) children.push(convert(node as Element));
      else if (node.nodeType === 3 || node.nodeType === 4) text += node.nodeValue ?? '';
    }
    return canonical({ tag: `{${el.namespaceURI ?? ''}}${el.localName}`, attrs, text: qname(el, text.trim()), children });
  };
  /**
   * Two spellings the schema reads the same: `<formalExpression>` is in the substitution group
   * of `<expression>`, which the writer spells `<expression xsi:type="tFormalExpression">`; and
   * an xsi:type naming the element's declared type (`<di:waypoint xsi:type="dc:Point">`) says
   * nothing, so the writer leaves it out.
   */
  function canonical(node: XmlNode): XmlNode {
    const { [XSI_TYPE]: type, ...attrs } = node.attrs;
    if (node.tag === `${BPMN}expression` && type === `${BPMN}tFormalExpression`) return { ...node, tag: `${BPMN}formalExpression`, attrs };
    if (node.tag === `${DI}waypoint` && type === `${DC}Point`) return { ...node, attrs };
    return node;
  }
  const parse = (xml: string) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    if (error) throw new Error(`not XML: ${error.textContent ?? ''}`);
    return convert(doc.documentElement);
  };
  const local = (tag: string) => tag.slice(tag.indexOf('}') + 1);
  const id = (node: XmlNode) => node.attrs['{}id'];
  const sameValue = (a: string, b: string) => a === b || (a.trim() !== '' && b.trim() !== '' && Number(a) === Number(b));

  const out: string[] = [];
  const compare = (original: XmlNode, exported: XmlNode, path: string) => {
    for (const [name, value] of Object.entries(original.attrs)) {
      if (!(name in exported.attrs)) out.push(`${path}: attribute ${name}="${value}" lost`);
      else if (!sameValue(value, exported.attrs[name]!)) out.push(`${path}: attribute ${name}="${value}" became "${exported.attrs[name]}"`);
    }
    for (const name of Object.keys(exported.attrs)) if (!(name in original.attrs)) out.push(`${path}: attribute ${name}="${exported.attrs[name]}" added`);
    if (original.text !== exported.text) out.push(`${path}: text ${JSON.stringify(original.text.slice(0, 80))} became ${JSON.stringify(exported.text.slice(0, 80))}`);
    const tags = new Set([...original.children, ...exported.children].map((child) => child.tag));
    for (const tag of tags) {
      const before = original.children.filter((child) => child.tag === tag);
      const after = exported.children.filter((child) => child.tag === tag);
      const afterById = new Map(after.filter(id).map((node) => [id(node)!, node]));
      const unnamed = after.filter((node) => !id(node));
      let next = 0;
      before.forEach((node, index) => {
        const match = id(node) ? afterById.get(id(node)!) : unnamed[next++];
        const where = `${path} > ${local(tag)}${id(node) ? `#${id(node)}` : before.length > 1 ? `[${index}]` : ''}`;
        if (!match) return out.push(`${where} lost`);
        afterById.delete(id(node) ?? '');
        compare(node, match, where);
      });
      for (const node of [...afterById.values(), ...unnamed.slice(next)]) out.push(`${path} > ${local(tag)}${id(node) ? `#${id(node)}` : ''} added`);
    }
  };
  const original = parse(originalXml);
  const exported = parse(exportedXml);
  if (original.tag !== exported.tag) return [`the root ${original.tag} became ${exported.tag}`];
  compare(original, exported, local(original.tag));
  return out;
}

/** Imports `name` through the toolbar's file input and returns what 下载 BPMN saves. */
async function roundTrip(page: Page, name: string, xml: string): Promise<string> {
  await page.getByTestId('flow-import-input').setInputFiles({ name, mimeType: 'application/xml', buffer: Buffer.from(xml) });
  const done = page.locator('.ant-message-notice').filter({ hasText: name }).first();
  await done.waitFor();
  const outcome = (await done.textContent()) ?? '';
  if (!outcome.includes(`已导入 ${name}`)) throw new Error(`${name}: ${outcome}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flow-download').click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('MIWG reference models in the flow designer', () => {
  it('import and download again without losing an element, attribute or coordinate', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const start = bpmn(`<process id="roundtrip" name="Round trip" isExecutable="true">
      <startEvent id="start"/><userTask id="review" camunda:assignee="admin"/><endEvent id="end"/>
      ${flow('start', 'review')}${flow('review', 'end')}</process>${lineDiagram('roundtrip')}`);
    expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml: start } })).status).toBe(201);

    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.goto('/flows/roundtrip/design');
    await page.getByTestId('flow-canvas').locator('.djs-element[data-element-id="start"]').waitFor();

    const report: Record<string, string[]> = {};
    for (const name of models) {
      const original = readFileSync(join(MIWG, name), 'utf8');
      const exported = await roundTrip(page, name, original);
      const found = await page.evaluate(compareInPage, [original, exported] as [string, string]);
      if (found.length > 0) report[name] = found.slice(0, 20);
    }
    expect(report).toEqual({});
  }, 120_000);
});
