/**
 * What a soak run reports (bench/results/soak.json) and how it is judged: any 5xx, request
 * without an answer, timer fired other than once, socket that heard nothing or consistency
 * violation is a failure; so is memory that keeps growing (the leak verdict below).
 */
import { slope } from './stats.ts';
import type { OperationKind } from './load.ts';
import type { Spread } from './stats.ts';

/**
 * RSS growth, fitted over the run's second half, above which a node is said to leak.
 *
 * Why 2 MB/min: a healthy node's RSS settles within the first minutes (code compiled, caches
 * and pools filled) and then saws up and down with the garbage collector, 160–220 MB in
 * cycles of about three minutes in the runs of docs/soak.md. Fitted over 6 minutes of
 * 1-second samples that sawtooth alone gave slopes of -1.8 and -0.2 MB/min; over 10 minutes
 * or more (several cycles) it stays well under 2 MB/min. 2 MB/min is about 3 GB a day: a leak
 * that takes a 1 GB node down within hours. A slower leak needs a longer run to stand out.
 */
export const DEFAULT_LEAK_THRESHOLD_MB_PER_MIN = 2;
/** A second half shorter than this is not judged: its slope would be the GC's sawtooth. */
export const MIN_LEAK_WINDOW_MS = 10 * 60_000;

export interface NodeSample {
  /** Seconds since the load began. */
  t: number;
  rssMb: number;
  heapUsedMb: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export interface NodeReport {
  samples: NodeSample[];
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  /** Least-squares slope over the run's second half. */
  rssSlopeMbPerMin: number;
  heapSlopeMbPerMin: number;
  lagP99MaxMs: number;
}

export interface ProgressLine {
  t: number;
  operationsPerSecond: number;
  latency: Partial<Record<OperationKind, Spread>>;
  errors: Record<string, number>;
  rssMb: Record<string, number>;
  lagP99Ms: Record<string, number>;
  backlog: { due: number; oldestDueLatenessMs: number } | null;
  eventsReceived: number;
}

export interface LeakVerdict {
  judged: boolean;
  thresholdMbPerMin: number;
  /** Seconds of samples the slope was fitted over (the second half). */
  windowS: number;
  rssSlopeMbPerMin: Record<string, number>;
  leaking: string[];
  verdict: string;
}

export interface SoakReport {
  seed: number;
  clients: number;
  startedAt: string;
  durationS: number;
  database: string;
  throughput: { operations: number; perSecond: number };
  operations: Record<OperationKind, Spread & { ok: number }>;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  serverErrors: number;
  noAnswer: number;
  events: {
    sockets: number;
    received: number;
    byType: Record<string, number>;
    leastPerSocket: number;
    /** The fewest tasks one socket heard assigned that were started through the other node. */
    leastFromOtherNode: number;
    disconnects: number;
  };
  timers: { started: number; fired: number; firedMoreThanOnce: number; notFired: number };
  consistency: { violations: Array<{ invariant: string; instanceId: string; detail: string }> };
  nodes: Record<string, NodeReport>;
  progress: ProgressLine[];
  leak: LeakVerdict;
  failures: string[];
  ok: boolean;
}

/** Per-node memory figures, the slopes fitted over samples at or after `fromS`. */
export function nodeReport(samples: NodeSample[], fromS: number): NodeReport {
  const late = samples.filter((sample) => sample.t >= fromS);
  const perMinute = (pick: (sample: NodeSample) => number) => Math.round(slope(late.map((sample) => ({ x: sample.t / 60, y: pick(sample) }))) * 100) / 100;
  return {
    samples,
    rssStartMb: samples[0]?.rssMb ?? 0,
    rssEndMb: samples.at(-1)?.rssMb ?? 0,
    rssMaxMb: Math.max(0, ...samples.map((sample) => sample.rssMb)),
    rssSlopeMbPerMin: perMinute((sample) => sample.rssMb),
    heapSlopeMbPerMin: perMinute((sample) => sample.heapUsedMb),
    lagP99MaxMs: Math.max(0, ...samples.map((sample) => sample.lagP99Ms)),
  };
}

export function leakVerdict(nodes: Record<string, NodeReport>, durationMs: number, thresholdMbPerMin: number): LeakVerdict {
  const windowS = Math.round(durationMs / 2000);
  const rssSlopeMbPerMin = Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, node.rssSlopeMbPerMin]));
  if (durationMs / 2 < MIN_LEAK_WINDOW_MS) {
    return {
      judged: false,
      thresholdMbPerMin,
      windowS,
      rssSlopeMbPerMin,
      leaking: [],
      verdict: `not judged: the second half (${windowS} s) is shorter than ${MIN_LEAK_WINDOW_MS / 60_000} minutes`,
    };
  }
  const leaking = Object.keys(nodes).filter((name) => nodes[name]!.rssSlopeMbPerMin > thresholdMbPerMin);
  const slopes = Object.entries(rssSlopeMbPerMin).map(([name, value]) => `${name} ${value} MB/min`).join(', ');
  return {
    judged: true,
    thresholdMbPerMin,
    windowS,
    rssSlopeMbPerMin,
    leaking,
    verdict: leaking.length > 0 ? `LEAK: RSS grows faster than ${thresholdMbPerMin} MB/min over the second half (${slopes})` : `no leak: RSS slope over the second half ${slopes} (threshold ${thresholdMbPerMin} MB/min)`,
  };
}

/** The report's end in a few lines, for a person reading the terminal. */
export function summaryLines(report: SoakReport): string[] {
  const lines = [
    `soak: ${report.durationS} s, ${report.clients} clients, seed ${report.seed}, ${report.database}`,
    `throughput: ${report.throughput.operations} operations, ${report.throughput.perSecond}/s`,
  ];
  for (const [kind, spread] of Object.entries(report.operations)) {
    lines.push(`  ${kind.padEnd(8)} ${String(spread.count).padStart(7)} (${spread.ok} 2xx)  p50 ${spread.p50} ms  p99 ${spread.p99} ms  max ${spread.max} ms`);
  }
  lines.push(`statuses: ${JSON.stringify(report.statuses)}`);
  if (Object.keys(report.errors).length > 0) lines.push(`errors: ${JSON.stringify(report.errors)}`);
  lines.push(
    `events: ${report.events.received} received by ${report.events.sockets} sockets (least ${report.events.leastPerSocket} on one, ${report.events.leastFromOtherNode} of them about the other node's tasks; ${report.events.disconnects} disconnects) ${JSON.stringify(report.events.byType)}`,
    `timers: ${report.timers.fired} fired of ${report.timers.started} started (more than once: ${report.timers.firedMoreThanOnce}, not fired: ${report.timers.notFired})`,
    `consistency: ${report.consistency.violations.length} violation(s)`,
  );
  for (const [name, node] of Object.entries(report.nodes)) {
    lines.push(
      `node ${name}: RSS ${node.rssStartMb} → ${node.rssEndMb} MB (max ${node.rssMaxMb}), second-half slope RSS ${node.rssSlopeMbPerMin} MB/min, heap ${node.heapSlopeMbPerMin} MB/min; event-loop lag p99 at most ${node.lagP99MaxMs} ms`,
    );
  }
  lines.push(`memory: ${report.leak.verdict}`);
  lines.push(report.ok ? 'result: OK' : `result: FAILED — ${report.failures.join('; ')}`);
  return lines;
}
