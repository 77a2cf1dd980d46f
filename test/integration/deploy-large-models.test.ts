/**
 * Deploying a large model does not hold the server's event loop (issue 18, docs/security.md):
 * models compile in the model worker (engine/bpmn/compilePool.ts). Before it, a 6,000-task
 * chain held GET /api/health for 2–4 s. On a real server, with /api/health polled every 50 ms
 * from a thread of its own, a chain just under the element limit deploys (201) and two over it
 * (the 6,000-task one and one near the 2 MB request limit) are refused naming the limit (422),
 * and the worst health answer stays under a bound generous enough for a loaded CI machine; the
 * figures are printed. Also: the worker compiles with the server's current limits, a compile
 * past its time or heap limit is refused 422 naming the limit and the next deploy works, and a
 * worker that cannot start answers 503 with Retry-After.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureModelWorker } from '../../engine/bpmn/compilePool.ts';
import { configureEngineLimits, DEFAULT_LIMITS } from '../../engine/limits.ts';
import { watchHealth, type HealthWatch } from '../helpers/fuzz/healthWatch.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

/** Well under the 2.2–3.8 s the chain held health before, well over a loaded machine's noise. */
const HEALTH_MS = Number(process.env.LARGE_MODEL_HEALTH_MS ?? 1_000);
/** Enough for the worker to start (tsx and the engine's modules take 25–40 MB), too little for a 1.8 MB model. */
const HEAP_TEST_MB = 64;

/** Start, `tasks` tasks in a row, end: tasks + 2 flow nodes and tasks + 1 sequence flows. */
function chain(key: string, tasks: number): string {
  const nodes = Array.from({ length: tasks }, (_, i) => `<task id="n${i}"/>`).join('');
  const flows = Array.from({ length: tasks - 1 }, (_, i) => `<sequenceFlow id="f${i}" sourceRef="n${i}" targetRef="n${i + 1}"/>`).join('');
  return (
    `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"><process id="${key}" isExecutable="true">` +
    `<startEvent id="s"/>${nodes}<endEvent id="e"/><sequenceFlow id="fs" sourceRef="s" targetRef="n0"/>${flows}` +
    `<sequenceFlow id="fe" sourceRef="n${tasks - 1}" targetRef="e"/></process></definitions>`
  );
}

const t = useTestServer();
let token = '';

const deploy = (xml: string) => t.request('POST', '/api/definitions', { token, body: { xml } });
const messageOf = (body: unknown) => JSON.stringify(body);

beforeAll(async () => {
  token = await t.login('admin', TEST_ADMIN_PASSWORD);
  // Starts the model worker (seconds on a loaded machine, in its own thread): not a case's time.
  // A model this small compiles on the loop (compileModel) unless every model is sent to the worker.
  configureModelWorker({ inlineMaxChars: 0 });
  expect((await deploy(chain('warm', 3))).status).toBe(201);
  configureModelWorker();
});

afterEach(() => {
  configureModelWorker();
  configureEngineLimits();
});

describe('large models deploy without holding the event loop', { timeout: 60_000 }, () => {
  let watch: HealthWatch | undefined;
  afterAll(async () => {
    await watch?.stop();
  });

  it(`deploys a 4,899-element chain (201) and refuses 12,003- and 44,003-element ones (422 naming the limit) with /api/health answering within ${HEALTH_MS} ms`, async () => {
    const limit = `at most ${DEFAULT_LIMITS.maxModelElements} are allowed (LIUZHUAN_MAX_MODEL_ELEMENTS)`;
    const cases = [
      // 2,448 tasks: 2,450 flow nodes + 2,449 flows, under the default limit of 5,000.
      { label: '4,899-element chain', xml: chain('large_under', 2_448), status: 201, says: undefined },
      // The hostile-model suite's 6,000-task chain (≈ 480 kB): refused for its size only after the parse.
      { label: '12,003-element chain', xml: chain('large_over', 6_000), status: 422, says: `has 12003 elements (flow nodes and sequence flows); ${limit}` },
      // ≈ 1.8 MB, near the 2 MB request limit: what held the loop longest before the worker.
      { label: '44,003-element chain', xml: chain('largest_over', 22_000), status: 422, says: `has 44003 elements (flow nodes and sequence flows); ${limit}` },
    ];
    watch = watchHealth(t.url, 50);
    await watch.ready();
    // The server's own view: the longest the event loop was held in each deploy (printed, not asserted).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const took: string[] = [];
    for (const { label, xml, status, says } of cases) {
      watch.label(label);
      const started = performance.now();
      const answer = await deploy(xml);
      took.push(`${label} (${Math.round(xml.length / 1000)} kB) ${Math.round(performance.now() - started)} ms, loop held ≤ ${Math.round(loop.max / 1e6)} ms`);
      loop.reset();
      expect(answer.status, messageOf(answer.body)).toBe(status);
      if (says) expect(messageOf(answer.body)).toContain(says);
    }
    loop.disable();
    watch.label('done');
    await watch.stop();
    const samples = watch.samples();
    const during = samples.filter((s) => s.during.includes('chain'));
    const worst = [...during].sort((a, b) => b.ms - a.ms).slice(0, 3);
    console.log(
      `large models: deploys ${took.join('; ')}; ` +
        `${during.length} health probes during them, worst ${worst.map((s) => `${Math.round(s.ms)} ms (${s.during})`).join(', ')}`,
    );
    expect(during.length, 'health probes during the deploys').toBeGreaterThan(2);
    expect(samples.filter((s) => s.status !== 200), 'health probes that did not answer 200').toEqual([]);
    expect(worst[0]!.ms, `worst /api/health answer during the deploys (bound ${HEALTH_MS} ms)`).toBeLessThan(HEALTH_MS);
  });
});

describe('the model worker', { timeout: 120_000 }, () => {
  // Small models would compile on the event loop: these cases send every model to the worker.
  const ALL = { inlineMaxChars: 0 };

  it("compiles with the server's limits as they are now", async () => {
    configureModelWorker(ALL);
    configureEngineLimits({ maxModelElements: 20 });
    const refused = await deploy(chain('limits_now', 10));
    expect(refused.status).toBe(422);
    expect(messageOf(refused.body)).toContain('has 23 elements (flow nodes and sequence flows); at most 20 are allowed');
    configureEngineLimits();
    expect((await deploy(chain('limits_now', 10))).status).toBe(201);
  });

  it('refuses a compile past its time limit with a 422 naming the limit, and the next deploy works', async () => {
    configureModelWorker({ ...ALL, jobTimeoutMs: 100 });
    const slow = await deploy(chain('too_slow', 6_000));
    expect(slow.status, messageOf(slow.body)).toBe(422);
    expect(slow.body).toMatchObject({ error: { code: 'model_too_large', details: [{ code: 'model_too_slow', params: { seconds: 0.1 } }] } });
    expect(messageOf(slow.body)).toContain('compiling the BPMN model took longer than 0.1 s, the limit for one model');
    configureModelWorker(ALL);
    expect((await deploy(chain('after_slow', 5))).status).toBe(201);
  });

  it('refuses a compile that runs out of heap with a 422 naming the limit, and the next deploy works', async () => {
    configureModelWorker({ ...ALL, memoryMb: HEAP_TEST_MB });
    // ≈ 1.8 MB of XML (the request limit is 2 MB): about 85 MB of heap, more than the worker is given here.
    const huge = await deploy(chain('too_big', 22_000));
    expect(huge.status, messageOf(huge.body)).toBe(422);
    expect(huge.body).toMatchObject({ error: { code: 'model_too_large', details: [{ code: 'model_too_large', params: { memoryMb: HEAP_TEST_MB } }] } });
    expect(messageOf(huge.body)).toContain(`compiling the BPMN model needed more than ${HEAP_TEST_MB} MB of memory, the limit for one model`);
    configureModelWorker(ALL);
    expect((await deploy(chain('after_big', 5))).status).toBe(201);
    expect((await t.request('GET', '/api/health')).status).toBe(200);
  });

  it('answers 503 with Retry-After when the worker cannot start, and deploys again once it can', async () => {
    configureModelWorker({ ...ALL, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) });
    const response = await fetch(`${t.url}/api/definitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ xml: chain('no_worker', 3) }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toMatchObject({ error: { code: 'model_worker_unavailable' } });
    // A small model compiles on the event loop (compileModel): it deploys even without the worker.
    configureModelWorker({ workerUrl: new URL('./no-such-worker.mjs', import.meta.url) });
    expect((await deploy(chain('small_inline', 3))).status).toBe(201);
    configureModelWorker(ALL);
    expect((await deploy(chain('no_worker', 3))).status).toBe(201);
  });
});
