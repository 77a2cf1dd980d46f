/**
 * What the browser tests need before their first page: a built designer and a Chromium.
 * Used by globalSetup (once per run, when the run has browser files) and by useBrowser
 * (per file, when globalSetup did not provide a browser). No vitest runtime imports here:
 * globalSetup runs in vitest's main process.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserServer } from 'playwright-core';
import { buildDesigner, designerIsStale } from '../../scripts/build-designer.ts';
import { eventually } from './eventually.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without the background-networking flags this machine's closed network refuses Chromium's own connections. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOCK = join(ROOT, 'test-results', '.designer-build.lock');

export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH`);
  }
}

/** Builds the designer when its sources are newer than designer/dist, under a lock so parallel runs build it once. */
export async function ensureDesignerBuilt(): Promise<void> {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await eventually(
    () => {
      try {
        mkdirSync(LOCK);
        return true;
      } catch {
        // A run killed mid-build leaves its lock behind; no build takes two minutes.
        const lock = statSync(LOCK, { throwIfNoEntry: false });
        if (lock && Date.now() - lock.mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
        return false;
      }
    },
    { message: `${LOCK} (remove it if no build is running)`, timeoutMs: 180_000, intervalMs: 200 },
  );
  try {
    if (designerIsStale()) await buildDesigner();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * One Chromium for the whole run, reached by every browser file over playwright's protocol
 * (`chromium.connect(wsEndpoint)`); each file still gets fresh contexts of its own (own
 * cookies, storage, sockets), so sharing the process shares nothing a test can see. Saves a
 * browser start (1–2 s of both cores) per file.
 */
export async function launchSharedChromium(): Promise<BrowserServer> {
  assertChromiumInstalled();
  return chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
