/**
 * Liuzhuan in-process: the engine's own commands on its own pool of 10, no HTTP — start and
 * complete as the server runs them (`startInstanceForUser`, `completeTask`), each client acting
 * as its own staff user. Like the HTTP client, it takes the next task from the command's
 * answer (`nextTasks`) and lists the instance's open tasks only when the answer has none.
 */
import { connect, type Db } from '../../engine/db/connection.ts';
import { createEngine, type Engine } from '../../engine/engine.ts';
import { EventBus } from '../../engine/events.ts';
import { createTaskDataValidator } from '../../engine/forms/taskData.ts';
import type { AuthUser } from '../../engine/identity/types.ts';
import type { TaskRow } from '../../engine/store/tasks.ts';
import { countRoundTrips } from '../roundTrips.ts';
import { PROCESS_KEY, RunStats, expectedSecondTask, fillData, runClients, type Workload } from './common.ts';

type Step = <T>(kind: string, run: () => Promise<T>) => Promise<T>;

export interface InProcess extends Workload {
  engine: Engine;
  db: Db;
  /** Average statements per command type over `count` instances run one at a time. */
  roundTrips(count: number): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export function createInProcessWorkload(url: string, actors: AuthUser[], clientCounts: number[]): InProcess {
  const db = connect(url, { poolMax: 10 });
  // As the server builds it (server/server.ts): task data is validated against the form.
  const engine = createEngine({ db, events: new EventBus(), validateTaskData: createTaskDataValidator() });

  const openTask = async (instanceId: string, elementId: string, answered: readonly TaskRow[], step: Step) => {
    const offered = answered.find((candidate) => candidate.elementId === elementId);
    if (offered) return offered;
    const tasks = await step('list open tasks', () => engine.queryTasks({ instanceId }));
    const task = tasks.find((candidate) => candidate.elementId === elementId);
    if (!task) throw new Error(`instance ${instanceId}: no open task "${elementId}" (open: ${tasks.map((t) => t.elementId).join(', ') || 'none'})`);
    return task;
  };

  /** One instance; `step` wraps each engine call with its kind (command or list). */
  const runInstance = async (actor: AuthUser, index: number, step: Step) => {
    const started = await step('start', () =>
      engine.startInstanceForUser({ definitionKey: PROCESS_KEY, user: actor, locale: 'en', onRuleError: () => undefined }),
    );
    const fill = await openTask(started.id, 'fill', started.nextTasks, step);
    const filled = await step('complete fill', () => engine.completeTask({ taskId: fill.id, variables: fillData(index), actor }));
    const second = await openTask(started.id, expectedSecondTask(index), filled.nextTasks, step);
    await step('complete approve/review', () => engine.completeTask({ taskId: second.id, variables: {}, actor }));
  };

  return {
    name: 'Liuzhuan in-process',
    clientCounts,
    engine,
    db,
    run: (clients: number, count: number, stats: RunStats) =>
      runClients(clients, count, stats, (client, index) =>
        runInstance(actors[client % actors.length]!, index, (kind, run) => (kind.startsWith('list') ? run() : stats.time(run))),
      ),
    async roundTrips(count: number) {
      const counter = countRoundTrips(db);
      const totals = new Map<string, { statements: number; calls: number }>();
      try {
        for (let index = 0; index < count; index++) {
          await runInstance(actors[0]!, index, async (kind, run) => {
            counter.reset();
            const result = await run();
            const total = totals.get(kind) ?? { statements: 0, calls: 0 };
            total.statements += counter.count;
            total.calls += 1;
            totals.set(kind, total);
            return result;
          });
        }
      } finally {
        counter.detach();
      }
      return Object.fromEntries([...totals].map(([kind, total]) => [kind, total.statements / total.calls]));
    },
    close: () => db.destroy(),
  };
}
