/**
 * The model worker (see compilePool.ts): compiles BPMN models, and runs the other pure model
 * jobs the pool is given, off the server's event loop. Plain JavaScript, because worker threads
 * get no TypeScript loader under vitest: it registers tsx's loader in a namespace of its own
 * (which also works when the parent already runs under tsx) and imports the engine's .ts
 * modules through it, all through the one namespace so they share one module graph.
 *
 * Start:        installs the engine's features (the compile listeners), compiles a small model
 *               to load and warm the compiler, then posts { ready: true } (or { ready: false, message }).
 * Messages in:  { id, module, name, args, limits }: calls export `name` of `module` (a file URL).
 * Replies out:  { id, ok: true, value } | { id, ok: false, error: { name, message, code?, status?, details?, stack? } }
 */
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const ts = register({ namespace: 'liuzhuan-model-worker' });
const load = (relative) => ts.import(new URL(relative, import.meta.url).href, import.meta.url);

/** A thrown error as plain data: the pool rebuilds ValidationError (and other engine errors) from it. */
function describe(error) {
  if (error && typeof error === 'object' && typeof error.code === 'string' && typeof error.status === 'number') {
    return { name: error.name, message: error.message, code: error.code, status: error.status, details: error.details };
  }
  return { name: error?.name ?? 'Error', message: error instanceof Error ? error.message : String(error), stack: error?.stack };
}

const WARM_UP_XML =
  '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"><process id="warm" isExecutable="true">' +
  '<startEvent id="s"/><exclusiveGateway id="g" default="f2"/><userTask id="u"/><endEvent id="e"/><sequenceFlow id="f0" sourceRef="s" targetRef="g"/>' +
  '<sequenceFlow id="f1" sourceRef="g" targetRef="u"><conditionExpression>= 1 = 1</conditionExpression></sequenceFlow><sequenceFlow id="f2" sourceRef="g" targetRef="e"/></process></definitions>';

let configureEngineLimits;
try {
  const [features, limits, compile] = await Promise.all([load('../features.ts'), load('../limits.ts'), load('./compile.ts')]);
  features.installFeatures();
  configureEngineLimits = limits.configureEngineLimits;
  await compile.compileBpmn(WARM_UP_XML);
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, message: describe(error).message });
  process.exit(1);
}

parentPort.on('message', async ({ id, module, name, args, limits }) => {
  try {
    // The server's limits (set from its environment) as they are now, for this job.
    configureEngineLimits(limits);
    const job = (await ts.import(module, import.meta.url))[name];
    if (typeof job !== 'function') throw new Error(`${module} has no export ${name}`);
    parentPort.postMessage({ id, ok: true, value: await job(...args) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: describe(error) });
  }
});
