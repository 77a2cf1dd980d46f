/**
 * Every public model in test/fixtures/corpus (Camunda 7 engine test models, BPMN MIWG
 * reference models; provenance and licences in its SOURCES.md) either deploys or is refused
 * with details that name the element and its type — never a crash, never a silent skip.
 * The in-repo copy is what is read, so the test does not depend on ../shared; when that
 * folder is present, the copy is checked to be complete and unchanged.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import type { CompileResult } from '../../engine/bpmn/model.ts';
import { ValidationError, type ErrorDetail } from '../../engine/errors.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.join(repoRoot, 'test/fixtures/corpus');
const sharedCorpusDir = path.resolve(repoRoot, '../shared/corpus');
const FOLDERS = ['camunda', 'miwg'] as const;

function modelFiles(root: string, folder: string): string[] {
  return readdirSync(path.join(root, folder))
    .filter((name) => /\.(bpmn|xml)$/.test(name))
    .sort();
}

function read(folder: string, name: string): string {
  return readFileSync(path.join(corpusDir, folder, name), 'utf8');
}

/** The BPMN tag (local name) of the element declaring `id` in the text. */
function tagOf(xml: string, id: string): string | undefined {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<(?:[\\w.-]+:)?([\\w-]+)\\b[^<>]*?\\sid="${escaped}"`).exec(xml)?.[1];
}

type Outcome = { file: string; deployed: true; result: CompileResult } | { file: string; deployed: false; details: ErrorDetail[] };

async function compileFile(folder: string, name: string): Promise<Outcome> {
  const file = `${folder}/${name}`;
  try {
    return { file, deployed: true, result: await compileBpmn(read(folder, name)) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { file, deployed: false, details: err.details ?? [] };
  }
}

/** A short name for why a model was refused, to group the summary. */
function reasonGroup(message: string): string {
  const groups: [RegExp, string][] = [
    [/No executable process/, 'no executable process (isExecutable="false")'],
    [/Java delegates|external task/, 'Java delegate / external task'],
    [/is not supported: (\w+)/, 'unsupported element'],
    [/uses a (\w+EventDefinition)/, 'unsupported event definition'],
    [/standardLoopCharacteristics/, 'standard loop'],
    [/does not parse/, 'expression does not parse'],
    [/without (messageRef|signalRef)|empty timer/, 'event definition without its message/signal/timer'],
    [/start event/, 'sub-process without start event'],
    [/eventBasedGateway .* must be followed/, 'event-based gateway followed by something else than catch events'],
    [/multi-instance needs/, 'multi-instance without cardinality or collection'],
  ];
  const found = groups.find(([pattern]) => pattern.test(message));
  if (!found) return message;
  const element = /is not supported: (\w+)/.exec(message)?.[1] ?? /uses a (\w+EventDefinition)/.exec(message)?.[1];
  return element ? `${found[1]}: ${element}` : found[1];
}

// Compiled once per file, shared by the per-file tests and the summary (which must also
// work when run alone).
const cache = new Map<string, Promise<Outcome>>();
function outcomeOf(folder: string, name: string): Promise<Outcome> {
  const key = `${folder}/${name}`;
  if (!cache.has(key)) cache.set(key, compileFile(folder, name));
  return cache.get(key)!;
}

describe('BPMN corpus', () => {
  for (const folder of FOLDERS) {
    describe(folder, () => {
      for (const name of modelFiles(corpusDir, folder)) {
        it(`${name} deploys, or is refused naming the element and its type`, async () => {
          const outcome = await outcomeOf(folder, name);
          if (outcome.deployed) {
            expect(outcome.result.processes.length).toBeGreaterThan(0);
            return;
          }
          const xml = read(folder, name);
          for (const detail of outcome.details) {
            expect(detail.pointer, JSON.stringify(detail)).not.toBe('');
            const tag = tagOf(xml, detail.pointer);
            expect(tag, `pointer ${detail.pointer} is an element of ${name}`).toBeDefined();
            expect(detail.message).toContain(tag);
            expect(detail.line).toBeGreaterThan(0);
          }
        });
      }
    });
  }

  it('summarises the corpus (file → deployed | refused: reason)', async () => {
    const outcomes = await Promise.all(FOLDERS.flatMap((folder) => modelFiles(corpusDir, folder).map((name) => outcomeOf(folder, name))));
    const rows = outcomes.map((o) =>
      o.deployed
        ? `${o.file.padEnd(100)} deployed (${o.result.processes.map((p) => p.id).join(', ')})`
        : `${o.file.padEnd(100)} refused: ${o.details[0].message}${o.details.length > 1 ? ` (+${o.details.length - 1} more)` : ''}`,
    );
    const count = (folder: string, deployed: boolean) =>
      outcomes.filter((o) => o.file.startsWith(`${folder}/`) && o.deployed === deployed).length;
    const reasons = new Map<string, number>();
    for (const o of outcomes) {
      if (o.deployed) continue;
      for (const group of new Set(o.details.map((d) => reasonGroup(d.message)))) reasons.set(group, (reasons.get(group) ?? 0) + 1);
    }
    const counts = Object.fromEntries(FOLDERS.map((f) => [f, { deployed: count(f, true), refused: count(f, false) }]));
    console.log(
      [
        ...rows,
        '',
        `counts: ${JSON.stringify(counts)}`,
        'refusal reasons (files per reason):',
        ...[...reasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `  ${String(n).padStart(3)}  ${reason}`),
      ].join('\n'),
    );
    // Camunda 7 engine models must run unchanged; the MIWG models are mostly descriptive
    // (isExecutable="false") or use elements Liuzhuan refuses on purpose (C.9.2 hands tasks to
    // Camunda 8 job workers and shows embedded Camunda Forms, refused since engine/bpmn/zeebe.ts).
    expect(counts).toEqual({ camunda: { deployed: 48, refused: 0 }, miwg: { deployed: 0, refused: 21 } });
  });
});

describe('BPMN corpus: semantics pinned by specific models', () => {
  async function compiled(name: string) {
    const result = await compileBpmn(read('camunda', name));
    return result.processes[0];
  }

  it('resolves messageRef="tns:newInvoice" to the message name', async () => {
    const p = await compiled('MessageStartEventTest.testSingleMessageStartEvent.bpmn20.xml');
    expect(p.nodes.theStart.event).toEqual({ type: 'message', messageName: 'newInvoiceMessage' });
    expect(p.scopes[p.id].eventStartEventIds).toEqual(['theStart']);
  });

  it('reads <loopDataInputRef>assigneeList</loopDataInputRef> as the collection variable', async () => {
    const p = await compiled('MultiInstanceTest.testParallelUserTasksBasedOnCollection.bpmn20.xml');
    expect(p.nodes.miTasks.multiInstance).toMatchObject({
      sequential: false,
      collection: { language: 'literal', source: 'assigneeList' },
      elementVariable: 'assignee',
      completionCondition: { language: 'juel' },
    });
  });

  it('keeps the mapping of <camunda:out source ="…">', async () => {
    const p = await compiled('CallActivity.testSubProcessDataInputOutput.bpmn20.xml');
    expect(p.nodes.callSubProcess.callActivity?.outputs).toEqual([
      { target: 'superVariable', source: 'subVariable' },
      { target: 'hisLocalVariable', source: 'myLocalVariable' },
    ]);
  });

  it('keeps outgoing flows of an exclusive gateway in document order', async () => {
    const p = await compiled('ExclusiveGatewayTest.testMultipleValidConditions.bpmn20.xml');
    expect(p.nodes.exclusiveGw.outgoing).toEqual(['flow2', 'flow3', 'flow4']);
  });

  it('reads Quartz cron cycles and error event sub-processes', async () => {
    const cron = await compiled('InterruptingEventSubProcessTest.testTimeCycle.bpmn20.xml');
    expect(cron.nodes.eventProcessStart).toMatchObject({
      interrupting: true,
      event: { type: 'timer', timer: { kind: 'cycle', value: { language: 'literal', source: '0 0/5 * * * ?' } } },
    });
    const errors = await compiled('ErrorEventSubProcessTest.testEventSubprocessTakesPrecedence.bpmn20.xml');
    expect(errors.scopes.subprocess.eventSubProcessIds).toEqual(['eventSubProcess']);
    expect(errors.nodes.subprocess.boundaryEventIds).toEqual(['catchErrorBoundary']);
    expect(errors.nodes.subprocessEnd.event).toEqual({ type: 'error', errorCode: '123' });
  });

  it.skipIf(!existsSync(sharedCorpusDir))('the in-repo copy matches ../shared/corpus', () => {
    for (const folder of FOLDERS) {
      const shared = modelFiles(sharedCorpusDir, folder);
      expect(modelFiles(corpusDir, folder)).toEqual(shared);
      for (const name of shared) {
        expect(read(folder, name), name).toBe(readFileSync(path.join(sharedCorpusDir, folder, name), 'utf8'));
      }
    }
    expect(existsSync(path.join(corpusDir, 'SOURCES.md'))).toBe(true);
  });
});
