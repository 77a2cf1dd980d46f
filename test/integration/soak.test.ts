/**
 * `npm run soak` in brief: 20 s of the mixed load against two real nodes on a scratch
 * database of the run's PostgreSQL server (scripts/soak/run.ts, the code path of the CLI),
 * then its report: no 5xx and no request left unanswered, every kind of operation answered
 * 2xx, every socket heard events (those of the other node's work included), every timer fired
 * once, no consistency violation, and the JSON report written with its fields. Too short for
 * a leak verdict, which the report says.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { OPERATION_KINDS } from '../../scripts/soak/load.ts';
import type { SoakReport } from '../../scripts/soak/report.ts';
import { runSoak } from '../../scripts/soak/run.ts';

const SEED = Number(process.env.LIUZHUAN_SOAK_SEED ?? Date.now() % 1_000_000);
const folder = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-soak-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('npm run soak', () => {
  it('drives every kind of operation over two nodes without a 5xx and reports it', async () => {
    const reportPath = path.join(folder, 'soak.json');
    const lines: string[] = [];
    const report = await runSoak({
      durationMs: 20_000,
      clients: 4,
      seed: SEED,
      progressEveryMs: 5_000,
      reportPath,
      leakThresholdMbPerMin: 2,
      adminUrl: inject('postgresAdminUrl'),
      log: (line) => lines.push(line),
    });
    console.log(lines.join('\n'));
    const context = `LIUZHUAN_SOAK_SEED=${SEED}\n${lines.join('\n')}`;

    expect(report.failures, context).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.serverErrors).toBe(0);
    expect(report.noAnswer).toBe(0);
    for (const kind of OPERATION_KINDS) expect(report.operations[kind].ok, `${kind} operations answered 2xx`).toBeGreaterThan(0);
    // Every socket heard about tasks started through the other node (the PostgreSQL adapter's relay).
    expect(report.events.sockets).toBe(4);
    expect(report.events.leastPerSocket).toBeGreaterThan(0);
    expect(report.events.leastFromOtherNode).toBeGreaterThan(0);
    expect(report.events.disconnects).toBe(0);
    expect(report.events.byType['task.assigned']).toBeGreaterThan(0);
    expect(report.timers.started).toBeGreaterThan(0);
    expect(report.timers).toMatchObject({ fired: report.timers.started, firedMoreThanOnce: 0, notFired: 0 });
    expect(report.consistency.violations).toEqual([]);
    expect(report.leak).toMatchObject({ judged: false, leaking: [] });
    expect(report.progress.length).toBeGreaterThanOrEqual(3);

    const written = JSON.parse(readFileSync(reportPath, 'utf8')) as SoakReport;
    expect(Object.keys(written).sort()).toEqual(
      ['clients', 'consistency', 'database', 'durationS', 'errors', 'events', 'failures', 'leak', 'nodes', 'noAnswer', 'ok', 'operations', 'progress', 'seed', 'serverErrors', 'startedAt', 'statuses', 'throughput', 'timers'].sort(),
    );
    expect(written.throughput.operations).toBe(Object.values(written.operations).reduce((sum, kind) => sum + kind.count, 0));
    for (const name of ['A', 'B']) {
      const node = written.nodes[name]!;
      expect(node.samples.length, `memory samples of node ${name}`).toBeGreaterThan(10);
      expect(node.rssEndMb).toBeGreaterThan(0);
      expect(typeof node.rssSlopeMbPerMin).toBe('number');
    }
    expect(written.progress[0]).toMatchObject({ rssMb: { A: expect.any(Number), B: expect.any(Number) }, backlog: { due: expect.any(Number) } });
  }, 240_000);
});
