/**
 * Builds the designer with vite. `--if-stale` skips the build when designer/dist is newer
 * than every source file, so `npm start` pays for a build only after a change.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const designer = fileURLToPath(new URL('../designer', import.meta.url));
const builtIndex = join(designer, 'dist', 'index.html');
/** Written after a production build: a dist without it (an older, possibly development, build) is stale. */
const buildMarker = join(designer, 'dist', '.build.json');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function designerIsStale(): boolean {
  if (!existsSync(builtIndex) || !existsSync(buildMarker)) return true;
  const lock = fileURLToPath(new URL('../package-lock.json', import.meta.url));
  const sources = Math.max(newestSourceTime(designer), existsSync(lock) ? statSync(lock).mtimeMs : 0);
  return sources > statSync(builtIndex).mtimeMs;
}

export async function buildDesigner(): Promise<void> {
  const started = Date.now();
  console.log('Building the designer (vite)…');
  // Always the production bundle. Under vitest NODE_ENV is "test", and vite then bundled
  // React's and antd's development builds (several times slower to render, "Download the
  // React DevTools" in the console) — which `npm start` after `npm test` then served as
  // up to date.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(designer, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(buildMarker, `${JSON.stringify({ mode: 'production', builtAt: new Date().toISOString() })}\n`);
  console.log(`Designer built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--if-stale') && !designerIsStale()) {
    console.log('Designer build is up to date.');
  } else {
    await buildDesigner();
  }
}
