/**
 * Watches a server's liveness while hostile work runs: GET /api/health every `everyMs` over a
 * keep-alive connection of its own (real HTTP), recording each answer's latency. The probes
 * run in a worker thread (healthWatchWorker.mjs) with its own event loop: in a test the server
 * shares this process, and a probe sent from the blocked thread itself would wait with it and
 * then see a quick answer. A probe is sent only after the previous one answered, so a blocked
 * event loop shows as one long latency rather than a pile of queued requests.
 */
import { Worker } from 'node:worker_threads';

export interface HealthSample {
  /** ms since the watcher started, when the probe was sent */
  at: number;
  /** time to the complete answer */
  ms: number;
  /** 0 when the request failed or timed out */
  status: number;
  /** What the test said it was doing while the probe waited (`label`s, joined with ' → '). */
  during: string;
}

export interface HealthWatch {
  /** Names what runs from now on, so a slow answer can be traced to its case. */
  label(text: string): void;
  samples(): readonly HealthSample[];
  /** The slowest samples, slowest first. */
  worst(n?: number): HealthSample[];
  /** Resolves once the watcher's connection is open and its probes are being recorded. */
  ready(): Promise<void>;
  /** Waits for the probe in flight and ends the worker. */
  stop(): Promise<void>;
}

export function watchHealth(baseUrl: string, everyMs = 50, timeoutMs = 10_000): HealthWatch {
  const samples: HealthSample[] = [];
  const worker = new Worker(new URL('./healthWatchWorker.mjs', import.meta.url), {
    workerData: { url: new URL('/api/health', baseUrl).href, everyMs, timeoutMs },
  });
  let markReady: () => void = () => {};
  const isReady = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const stopped = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: { sample?: HealthSample; stopped?: boolean; ready?: boolean }) => {
      if (message.ready) markReady();
      if (message.sample) samples.push(message.sample);
      if (message.stopped) resolve();
    });
    worker.on('error', reject);
    worker.on('exit', () => resolve());
  });
  return {
    label: (text) => worker.postMessage({ label: text }),
    samples: () => samples,
    worst: (n = 5) => [...samples].sort((a, b) => b.ms - a.ms).slice(0, n),
    ready: () => Promise.race([isReady, stopped]),
    async stop() {
      markReady();
      worker.postMessage({ stop: true });
      await stopped;
      await worker.terminate();
    },
  };
}
