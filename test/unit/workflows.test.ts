/**
 * The shipped process models (top-level `workflows/`): each compiles with the engine (parse,
 * validation, every compile listener), defines the process its file is named after, and has
 * a diagram shape or edge for every flow node and sequence flow, so it opens in the flow
 * designer (scripts/layout-workflow.ts regenerates the diagram). The key-account app lists
 * only files that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { installFeatures } from '../../engine/features.ts';
import { readTemplateApp, workflowsDir } from '../../templates/app.ts';
import { workflowFingerprint, workflowReplaces } from '../../templates/workflows.ts';

installFeatures();
const files = readdirSync(workflowsDir).filter((name) => name.endsWith('.bpmn')).sort();

/** Ids of every flow node and sequence flow, sub-processes included (not the diagram-less lanes). */
function flowElementIds(container: any): string[] {
  return (container.flowElements ?? []).flatMap((element: any) => [
    element.id as string,
    ...(element.flowElements ? flowElementIds(element) : []),
  ]);
}

describe('workflows/*.bpmn', () => {
  it('the key-account app deploys files that exist', () => {
    const listed = readTemplateApp('key-account').workflows;
    expect(listed.length).toBeGreaterThan(0);
    for (const id of listed) expect(files).toContain(`${id}.bpmn`);
  });

  it('replaces.json never lists a file as replacing itself', () => {
    const replaces = workflowReplaces();
    for (const file of files) {
      const id = file.replace(/\.bpmn$/, '');
      const xml = readFileSync(path.join(workflowsDir, file), 'utf8');
      expect(replaces[id] ?? []).not.toContain(workflowFingerprint(xml));
    }
  });

  for (const file of files) {
    describe(file, () => {
      const xml = readFileSync(path.join(workflowsDir, file), 'utf8');

      it('compiles with the engine and defines the process it is named after', async () => {
        const { processes } = await compileBpmn(xml);
        expect(processes.map((process) => process.id)).toContain(file.replace(/\.bpmn$/, ''));
      });

      it('has a diagram element for every flow node and sequence flow', async () => {
        const { rootElement } = (await new BpmnModdle().fromXML(xml)) as any;
        const processes = rootElement.rootElements.filter((element: any) => element.$type === 'bpmn:Process');
        const semantic = processes.flatMap(flowElementIds);
        const drawn = new Set(
          (rootElement.diagrams ?? []).flatMap((diagram: any) =>
            (diagram.plane?.planeElement ?? []).map((shape: any) => shape.bpmnElement?.id as string),
          ),
        );
        expect(semantic.length).toBeGreaterThan(0);
        expect(semantic.filter((id: string) => !drawn.has(id))).toEqual([]);
      });
    });
  }
});
