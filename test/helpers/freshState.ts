/**
 * Runs before every test file (a setup file). The unit and integration files share one module
 * graph per worker (`isolate: false` in vitest.config.ts, docs/testing.md), so the engine's few process-wide
 * settings are put back to what a fresh process has, instead of what the worker's previous
 * file left: the engine limits (each server's start sets them from its env, e.g.
 * LIUZHUAN_MAX_COMMAND_MS=300; some unit tests set them directly) and the data keys (each
 * server's start sets them; personal-data rotates them). Caches keyed by content (compiled
 * expressions, templates, definitions by id) and the feature registrations stay: they are
 * the same for every file.
 */
import path from 'node:path';
import { afterAll, vi } from 'vitest';
import { configureModelWorker } from '../../engine/bpmn/compilePool.ts';
import { configureEngineLimits } from '../../engine/limits.ts';
import { configureDataKeys, readKeyring } from '../../engine/privacy/keys.ts';
import { projectRoot } from '../../server/config.ts';

configureEngineLimits();
// The model worker's limits (deploy-large-models.test.ts changes them).
configureModelWorker();
// What keyring() reads lazily in a fresh process (engine/privacy/keys.ts), read now.
configureDataKeys(readKeyring(process.env, path.resolve(process.env.LIUZHUAN_DATA_DIR || path.join(projectRoot, '.data'))));

// vitest restores mocks and vi.setConfig between the files of a worker, but not stubbed env
// variables or globals, nor fake timers: webhooks' vi.stubEnv('LIUZHUAN_WEBHOOK_ALLOW_PRIVATE')
// would reach every later file of its worker. Registered first, so it runs after the file's own
// afterAll hooks (its server has closed).
afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
