/**
 * Builds the designer with vite. `--if-stale` skips the build when designer/dist is newer
 * than every source file, so `npm start` pays for a build only after a change.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const designer = fileURLToPath(new URL('../designer', import.meta.url));
const builtIndex = join(designer, 'dist', 'index.html');

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
  if (!existsSync(builtIndex)) return true;
  const lock = fileURLToPath(new URL('../package-lock.json', import.meta.url));
  const sources = Math.max(newestSourceTime(designer), existsSync(lock) ? statSync(lock).mtimeMs : 0);
  return sources > statSync(builtIndex).mtimeMs;
}

export async function buildDesigner(): Promise<void> {
  const started = Date.now();
  console.log('Building the designer (vite)…');
  await build({ configFile: join(designer, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`Designer built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--if-stale') && !designerIsStale()) {
    console.log('Designer build is up to date.');
  } else {
    await buildDesigner();
  }
}
