/**
 * BPMN models are compiled in a worker thread, so a large or hostile model never holds the
 * server's event loop (issue 18, docs/security.md): bpmn-moddle parses synchronously, and a
 * 6,000-element chain held every other request, /api/health included, for 2–4 s.
 *
 * One worker (compileWorker.mjs), started with the first job and kept warm; jobs queue and run
 * one at a time. Each job has a wall-clock limit and the worker a heap limit: a job past either
 * ends the worker (a fresh one starts for the next job) and is refused with a 422 naming the
 * limit, never a 500 and never a crashed server. The compile itself is unchanged
 * (`compileBpmn`, pure: XML in, plain data out); the worker gets the server's current engine
 * limits with every job, so it refuses exactly what the server would.
 *
 * No in-process fallback: a server whose worker cannot start answers 503 with Retry-After
 * (and logs why) rather than silently going back to blocking the loop.
 */
import { Worker } from 'node:worker_threads';
import { LiuzhuanError, ValidationError, type ErrorDetail } from '../errors.ts';
import { engineLimits } from '../limits.ts';
import { compileBpmn } from './compile.ts';
import type { CompileResult } from './model.ts';

export interface ModelWorkerSettings {
  /** Wall-clock time one job may take in the worker (queueing not counted). */
  jobTimeoutMs: number;
  /** The worker's heap (old generation); a job that needs more ends the worker and is refused. */
  memoryMb: number;
  /** How long the worker may take to start: longer is the server's problem (503), not the model's. */
  startupTimeoutMs: number;
  /** Jobs waiting at most; more are answered 503 busy. */
  maxQueued: number;
  /** The worker's script (tests point it at one that cannot start). */
  workerUrl: URL;
  /** Models up to this many characters compile on the event loop (compileModel); 0 sends every model to the worker. */
  inlineMaxChars: number;
}

const DEFAULT_SETTINGS: Readonly<ModelWorkerSettings> = Object.freeze({
  // A 5,000-element model (the default LIUZHUAN_MAX_MODEL_ELEMENTS) compiles in well under 10 s
  // on a loaded machine, and the 2 MB request limit bounds the text.
  jobTimeoutMs: 30_000,
  // The worker itself (tsx, the engine's modules) takes about 60 MB; a 2 MB model about 100 MB more.
  memoryMb: 256,
  // 1–6 s of CPU in its own thread; at load 20 on two cores that took more than 30 s of wall time.
  startupTimeoutMs: 60_000,
  maxQueued: 32,
  workerUrl: new URL('./compileWorker.mjs', import.meta.url),
  // The template processes (12–29 kB) take 30–65 ms of CPU to compile on the loop; 16 kB about
  // 35 ms. Smaller models are what nearly every deploy is, and a round trip to the worker (and
  // its start, 1–6 s of CPU on first use) buys them nothing.
  inlineMaxChars: 16_000,
});

let settings: ModelWorkerSettings = { ...DEFAULT_SETTINGS };

/** Changes the worker's limits (tests); the running worker is replaced when its heap limit changes. */
export function configureModelWorker(overrides: Partial<ModelWorkerSettings> = {}): void {
  settings = { ...DEFAULT_SETTINGS, ...overrides };
}

export interface ModelJob {
  /** File URL of the module whose export runs in the worker (a pure function of plain data). */
  module: string;
  name: string;
  args: unknown[];
  /** What the job does, for messages: `compiling the BPMN model`. */
  what: string;
}

interface Pending extends ModelJob {
  id: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface ModelWorker {
  worker: Worker;
  memoryMb: number;
  url: URL;
  ready: boolean;
  running: Pending | null;
  timer?: NodeJS.Timeout;
  dead: boolean;
}

const COMPILE_MODULE = new URL('./compile.ts', import.meta.url).href;
const RETRY_AFTER_SECONDS = 2;

let current: ModelWorker | null = null;
const queue: Pending[] = [];
let nextId = 1;

/** 503 with Retry-After (server/http/errors.ts): the deploy may be tried again shortly. */
export class ModelWorkerUnavailableError extends LiuzhuanError {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(message: string) {
    super('model_worker_unavailable', message, 503);
  }
}

/**
 * Compiles `xml` where it costs least: a small model on the event loop (a few tens of ms), a
 * larger one in the model worker. What deploys and package installs call.
 */
export function compileModel(xml: string): Promise<CompileResult> {
  return xml.length <= settings.inlineMaxChars ? compileBpmn(xml) : compileInWorker(xml);
}

/** Compiles `xml` off the event loop: the same result, or the same ValidationError, as `compileBpmn`. */
export function compileInWorker(xml: string): Promise<CompileResult> {
  return runModelJob<CompileResult>({ module: COMPILE_MODULE, name: 'compileBpmn', args: [xml], what: 'compiling the BPMN model' });
}

/** Runs `job` in the model worker; rejects with the job's own error, rebuilt, or a 422/503 of the pool's. */
export function runModelJob<T>(job: ModelJob): Promise<T> {
  if (queue.length >= settings.maxQueued) {
    return Promise.reject(new ModelWorkerUnavailableError(`The server is busy ${job.what} (${queue.length} waiting); try again shortly`));
  }
  return new Promise<T>((resolve, reject) => {
    queue.push({ ...job, id: nextId++, resolve: resolve as (value: unknown) => void, reject });
    pump();
  });
}

function pump(): void {
  if (queue.length === 0) return;
  const stale = (model: ModelWorker) => model.memoryMb !== settings.memoryMb || model.url !== settings.workerUrl;
  if (current && (current.dead || (stale(current) && !current.running))) discard(current);
  current ??= spawn();
  const model = current;
  if (!model.ready || model.running) return;
  const job = queue.shift()!;
  model.running = job;
  model.worker.ref();
  model.timer = setTimeout(() => {
    fail(model, tooLong(job));
  }, settings.jobTimeoutMs);
  try {
    model.worker.postMessage({ id: job.id, module: job.module, name: job.name, args: job.args, limits: { ...engineLimits() } });
  } catch (error) {
    // Arguments that cannot be cloned: that job's error, not the worker's (pump also runs from event handlers).
    clearTimeout(model.timer);
    model.running = null;
    model.worker.unref();
    job.reject(error as Error);
    pump();
  }
}

function spawn(): ModelWorker {
  const { memoryMb, workerUrl: url } = settings;
  const worker = new Worker(url, {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(32, memoryMb) },
    // Its output is the server's (a bug's stack); its input nothing.
    stdin: false,
  });
  const model: ModelWorker = { worker, memoryMb, url, ready: false, running: null, dead: false };
  model.timer = setTimeout(() => {
    fail(model, undefined, new ModelWorkerUnavailableError(`The model compiler did not start within ${settings.startupTimeoutMs / 1000} s; try again shortly`));
  }, settings.startupTimeoutMs);
  worker.on('message', (message: WorkerMessage) => onMessage(model, message));
  // Out of heap (ERR_WORKER_OUT_OF_MEMORY) or a crash: without a listener it would end the server.
  worker.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY' && model.running) fail(model, tooLarge(model.running, model.memoryMb));
    else fail(model, model.running ? new Error(`The model worker failed while ${model.running.what}: ${error.message}`) : undefined, unavailable(error.message));
  });
  worker.on('exit', (code) => {
    fail(model, model.running ? new Error(`The model worker stopped (exit code ${code}) while ${model.running.what}`) : undefined, unavailable(`exit code ${code}`));
  });
  // An idle worker must not keep a finished process (a script, a test file) alive.
  worker.unref();
  return model;
}

type WorkerMessage =
  | { ready: true }
  | { ready: false; message: string }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

interface SerializedError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  details?: ErrorDetail[];
  stack?: string;
}

function onMessage(model: ModelWorker, message: WorkerMessage): void {
  if (model.dead) return;
  if ('ready' in message) {
    if (!message.ready) {
      fail(model, undefined, unavailable(message.message));
      return;
    }
    clearTimeout(model.timer);
    model.ready = true;
    pump();
    return;
  }
  const job = model.running;
  if (!job || job.id !== message.id) return;
  clearTimeout(model.timer);
  model.running = null;
  model.worker.unref();
  if (message.ok) job.resolve(message.value);
  else job.reject(rebuild(message.error));
  pump();
}

/**
 * Ends `model` for good: the job it ran gets `jobError`; when it never became ready, the
 * queued jobs get `startError` (one start failure answers them all: the next job tries anew).
 */
function fail(model: ModelWorker, jobError: Error | undefined, startError?: Error): void {
  if (model.dead) return;
  const wasReady = model.ready;
  discard(model);
  const job = model.running;
  model.running = null;
  if (job) job.reject(jobError ?? startError ?? new Error('The model worker stopped'));
  if (!wasReady && startError) {
    console.error(`liuzhuan: the model worker (${model.url.pathname}) did not start: ${startError.message}`);
    for (const waiting of queue.splice(0)) waiting.reject(startError);
  }
  pump();
}

function discard(model: ModelWorker): void {
  model.dead = true;
  clearTimeout(model.timer);
  if (current === model) current = null;
  void model.worker.terminate();
}

function unavailable(reason: string): ModelWorkerUnavailableError {
  return new ModelWorkerUnavailableError(`The model compiler is not available (${reason}); try again shortly`);
}

function tooLong(job: Pending): ValidationError {
  const seconds = settings.jobTimeoutMs / 1000;
  const message = `The model is too large or too complex: ${job.what} took longer than ${seconds} s, the limit for one model`;
  return new ValidationError(message, [{ pointer: '', message, code: 'model_too_slow', params: { seconds } }], 'model_too_large');
}

function tooLarge(job: Pending, memoryMb: number): ValidationError {
  const message = `The model is too large: ${job.what} needed more than ${memoryMb} MB of memory, the limit for one model`;
  return new ValidationError(message, [{ pointer: '', message, code: 'model_too_large', params: { memoryMb } }], 'model_too_large');
}

/** The worker's error as the class the callers expect (`instanceof ValidationError` in the package installer). */
function rebuild(error: SerializedError): Error {
  if (error.code !== undefined && error.status !== undefined) {
    if (error.name === 'ValidationError') return new ValidationError(error.message, error.details, error.code);
    const rebuilt = new LiuzhuanError(error.code, error.message, error.status, error.details);
    rebuilt.name = error.name;
    return rebuilt;
  }
  // A bug in the job: a 500 as it was in process, with the worker's stack for the log.
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = `${error.stack}\n    (in the model worker)`;
  return rebuilt;
}
