/**
 * Large form schemas are compiled and run in the model worker (engine/bpmn/compilePool.ts), so a
 * big form never holds the server's event loop (issue 18, docs/security.md). ajv compiles a
 * schema synchronously, in time that grows with it: a 1,000-field form's save and its first
 * record (or first task submitted against it) each held /api/health for 0.9–2.1 s at load 6–13.
 *
 * A schema of up to `inlineMaxNodes` objects and arrays (real forms have tens: the templates' at
 * most 28) compiles on the loop as before, and its data is validated there: a few ms, and the
 * common small form (validated on every task completion) pays no round trip. A larger one is
 * compiled in the worker, which keeps the validator (by the schema's hash: each distinct schema
 * compiles once per worker) and answers each validation with ajv's errors; the messages (zh-CN or
 * en) are written here, from those errors, as for a small form, so both give the same 422. The
 * worker compiles with `compileSchema`, so an invalid schema is refused with the same error.
 *
 * A worker that cannot start answers 503 with Retry-After (the model pool's): no fallback to
 * compiling on the loop.
 */
import { createHash } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import { runModelJob } from '../bpmn/compilePool.ts';
import { compileSchema, MAX_SCHEMA_NODES, nodeCount, type DataErrors, type DataValidator } from './validator.ts';

export interface SchemaWorkerSettings {
  /** Schemas of up to this many objects and arrays compile and validate on the event loop; 0 sends every schema to the worker. */
  inlineMaxNodes: number;
}

const DEFAULT_SETTINGS: Readonly<SchemaWorkerSettings> = Object.freeze({
  // 100 objects and arrays (about 50–100 fields): 46 ms to compile on the loop at load 13 (a
  // 30-field form 17 ms). A 1,000-field form took about 0.2 s at load 2 and 1–2 s at load 13–18.
  inlineMaxNodes: 100,
});

let settings: SchemaWorkerSettings = { ...DEFAULT_SETTINGS };

/** Changes where schemas compile (tests); no argument restores the defaults. */
export function configureSchemaWorker(overrides: Partial<SchemaWorkerSettings> = {}): void {
  settings = { ...DEFAULT_SETTINGS, ...overrides };
}

const MODULE = new URL(import.meta.url).href;

/** Past the inline size but within the schema limit (over it, `compileSchema` refuses it at once, on the loop). */
function goesToWorker(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return false;
  const nodes = nodeCount(schema, MAX_SCHEMA_NODES);
  return nodes > settings.inlineMaxNodes && nodes <= MAX_SCHEMA_NODES;
}

/** The schema as stored (key order included: it orders the errors), hashed. */
function hashOf(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/** Throws what `compileSchema` would (a 422 naming the reason), compiling off the loop when the schema is large. */
export async function checkFormSchema(schema: unknown): Promise<void> {
  if (!goesToWorker(schema)) {
    compileSchema(schema);
    return;
  }
  await runModelJob({ module: MODULE, name: 'compileInWorker', args: [hashOf(schema), schema], what: 'compiling the form schema' });
}

/**
 * A validator for `schema`'s data, compiled where it costs least; throws what `compileSchema`
 * would. `errorsOf(data)` gives ajv's errors (null when valid), for `assertValidData`.
 */
export async function formValidator(schema: unknown): Promise<DataErrors> {
  if (!goesToWorker(schema)) {
    const validate = compileSchema(schema);
    return async (data) => (validate(data) ? null : (validate.errors ?? []));
  }
  const hash = hashOf(schema);
  await runModelJob({ module: MODULE, name: 'compileInWorker', args: [hash, schema], what: 'compiling the form schema' });
  return async (data) => {
    const job = (withSchema: boolean) =>
      runModelJob<WorkerAnswer>({ module: MODULE, name: 'validateInWorker', args: [hash, data, withSchema ? schema : null], what: 'validating data against the form schema' });
    // The schema goes along only when the worker no longer has it (a fresh worker after a failed job).
    let answer = await job(false);
    if (answer.missing) answer = await job(true);
    return answer.errors;
  };
}

// ---- In the worker --------------------------------------------------------------------------

type WorkerAnswer = { missing: true; errors: null } | { missing: false; errors: ErrorObject[] | null };

/** Compiled validators in the worker, least recently used first; a 1,000-field one holds 1–2 MB. */
const MAX_COMPILED = 20;
const compiled = new Map<string, DataValidator>();

function remember(hash: string, validate: DataValidator): DataValidator {
  compiled.delete(hash);
  compiled.set(hash, validate);
  if (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  return validate;
}

/** Worker job: compiles `schema` (or finds it compiled) and keeps it under `hash`. */
export function compileInWorker(hash: string, schema: unknown): true {
  remember(hash, compiled.get(hash) ?? compileSchema(schema));
  return true;
}

/** Worker job: ajv's errors for `data` (null when valid); `missing` when `hash` is not compiled here and no schema came along. */
export function validateInWorker(hash: string, data: unknown, schema: unknown): WorkerAnswer {
  const known = compiled.get(hash);
  if (!known && schema === null) return { missing: true, errors: null };
  const validate = remember(hash, known ?? compileSchema(schema));
  return validate(data) ? { missing: false, errors: null } : { missing: false, errors: validate.errors ?? [] };
}
