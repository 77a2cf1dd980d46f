/**
 * `tsx scripts/layout-workflow.ts workflows/<id>.bpmn [more.bpmn …]`: (re)generates a model's
 * diagram (BPMN DI) with bpmn-auto-layout, so a hand-written model opens in the flow designer.
 *
 * Only the diagram is taken from the layout: bpmn-auto-layout re-serialises the whole file
 * through bpmn-moddle, which would reorder attributes and drop comments, so the old
 * `<bpmndi:BPMNDiagram>` blocks are cut out of the original text and the new ones spliced in
 * before `</definitions>` — the semantic XML stays byte for byte what the author wrote.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { layoutProcess } from 'bpmn-auto-layout';
import { BpmnModdle } from 'bpmn-moddle';

const DI_NAMESPACES: Record<string, string> = {
  bpmndi: 'http://www.omg.org/spec/BPMN/20100524/DI',
  dc: 'http://www.omg.org/spec/DD/20100524/DC',
  di: 'http://www.omg.org/spec/DD/20100524/DI',
};

const DIAGRAM = /[ \t]*<([\w-]+:)?BPMNDiagram\b[\s\S]*?<\/([\w-]+:)?BPMNDiagram>\s*/g;

/**
 * bpmn-auto-layout follows each node's `<incoming>`/`<outgoing>` references, which a
 * hand-written model (and the engine) leaves out — without them every node gets a row of its
 * own. The copy handed to the layout gets them from the sequence flows.
 */
async function withFlowRefs(xml: string): Promise<string> {
  // bpmn-moddle's types omit toXML; it is there at run time.
  const moddle = new BpmnModdle() as BpmnModdle & { toXML(root: unknown): Promise<{ xml: string }> };
  const { rootElement, elementsById } = (await moddle.fromXML(xml)) as any;
  for (const element of Object.values(elementsById) as any[]) {
    if (element.$type !== 'bpmn:SequenceFlow') continue;
    const { sourceRef, targetRef } = element;
    if (sourceRef) sourceRef.outgoing = [...(sourceRef.outgoing ?? []).filter((f: any) => f !== element), element];
    if (targetRef) targetRef.incoming = [...(targetRef.incoming ?? []).filter((f: any) => f !== element), element];
  }
  return (await moddle.toXML(rootElement)).xml;
}

/** The model with its diagram replaced by a fresh auto-layout. */
export async function layoutWorkflow(xml: string): Promise<string> {
  const semantic = xml.replace(DIAGRAM, '');
  const laidOut = await layoutProcess(await withFlowRefs(semantic));
  const diagrams = laidOut.match(DIAGRAM);
  if (!diagrams) throw new Error('bpmn-auto-layout produced no diagram');
  const close = /<\/([\w-]+:)?definitions>\s*$/.exec(semantic);
  if (!close) throw new Error('no closing </definitions> at the end of the file');
  let head = semantic.slice(0, close.index).replace(/\s*$/, '\n');
  // The spliced diagram uses bpmn-auto-layout's prefixes: declare them on the root if missing.
  head = head.replace(/<([\w-]+:)?definitions\b[^>]*/, (root) => {
    let out = root;
    for (const [prefix, uri] of Object.entries(DI_NAMESPACES)) {
      if (!new RegExp(`xmlns:${prefix}=`).test(out)) out += `\n  xmlns:${prefix}="${uri}"`;
    }
    return out;
  });
  const diagram = diagrams.map((block) => '  ' + block.trim() + '\n').join('');
  return `${head}${diagram}${semantic.slice(close.index).trim()}\n`;
}

async function main(files: string[]) {
  if (files.length === 0) {
    console.error('usage: tsx scripts/layout-workflow.ts <file.bpmn> [more.bpmn …]');
    process.exit(2);
  }
  for (const file of files) {
    writeFileSync(file, await layoutWorkflow(readFileSync(file, 'utf8')));
    console.log(`laid out ${file}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main(process.argv.slice(2));
