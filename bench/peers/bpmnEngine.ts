/**
 * The peer: the same process run by the npm package `bpmn-engine` in this process, with its
 * state persisted as its user must do it — a JSONB row per instance, recovered from and saved
 * to at every step (getState() → row; row → recover() + resume()). Pool of 10, as Liuzhuan's.
 *
 * Given the same head start Liuzhuan's caches would have: the XML is parsed once (a shared
 * moddle context) and the gateway's script condition is compiled once into a function instead
 * of bpmn-engine's default, which builds a new V8 context for every evaluation.
 */
import { randomUUID } from 'node:crypto';
import { BpmnModdle } from 'bpmn-moddle';
import { Engine } from 'bpmn-engine';
import { connect, type Db } from '../../engine/db/connection.ts';
import { PEER_PROCESS, RunStats, expectedSecondTask, fillData, runClients, type Workload } from './common.ts';

type ScriptFn = (environment: unknown, content: unknown, next: (error: unknown, result?: unknown) => void) => void;

/** bpmn-engine's `scripts` option: each script body compiled once per process. */
function compiledScripts() {
  const compiled = new Map<string, ScriptFn>();
  return () => {
    const byId = new Map<string, { execute(context: any, callback: any): void }>();
    return {
      register({ id, type, behaviour }: any) {
        const body: string | undefined = type === 'bpmn:SequenceFlow' ? behaviour.conditionExpression?.body : behaviour.script;
        if (!body) return undefined;
        let fn = compiled.get(body);
        if (!fn) {
          fn = new Function('environment', 'content', 'next', body) as ScriptFn;
          compiled.set(body, fn);
        }
        const run = fn;
        const script = { execute: (context: any, callback: any) => run(context.environment, context.content, callback) };
        byId.set(id, script);
        return script;
      },
      // bpmn-engine asks only for scripts it registered.
      getScript: (_language: string, { id }: { id: string }) => byId.get(id)!,
    };
  };
}

export async function createBpmnEngineWorkload(url: string, clientCounts: number[]): Promise<Workload & { close(): Promise<void> }> {
  const db: Db = connect(url, { poolMax: 10 });
  await db.raw('CREATE TABLE IF NOT EXISTS bench_peer (id uuid PRIMARY KEY, initiator text NOT NULL, state jsonb NOT NULL)');
  const moddleContext = await new BpmnModdle().fromXML(PEER_PROCESS);
  const scripts = compiledScripts();

  const start = async (initiator: string): Promise<string> => {
    const engine = new Engine({ name: 'bench', moddleContext: moddleContext as any, scripts: scripts() });
    const execution = await engine.execute({ variables: { initiator } });
    if (execution.getPostponed()[0]?.id !== 'fill') throw new Error('bpmn-engine: the new instance does not wait at "fill"');
    const id = randomUUID();
    await db('bench_peer').insert({ id, initiator, state: JSON.stringify(await engine.getState()) });
    return id;
  };

  /** Recovers the instance under a row lock, completes its waiting task `elementId`, saves. */
  const complete = (id: string, elementId: string, variables: Record<string, unknown>) =>
    db.transaction(async (trx) => {
      const row = await trx('bench_peer').where({ id }).forUpdate().first('state');
      if (!row) throw new Error(`bpmn-engine: no instance ${id}`);
      const engine = new Engine({ name: 'bench', scripts: scripts() }).recover(row.state);
      const execution = await engine.resume();
      const task = execution.getPostponed().find((activity) => activity.id === elementId);
      if (!task) throw new Error(`bpmn-engine: instance ${id} does not wait at "${elementId}"`);
      // Variables go to the process environment, where the gateway's condition reads them.
      (task as any).environment.assignVariables(variables);
      execution.signal({ id: elementId });
      await trx('bench_peer').where({ id }).update({ state: JSON.stringify(await engine.getState()) });
    });

  return {
    name: 'bpmn-engine (state in JSONB)',
    clientCounts,
    run: (clients: number, count: number, stats: RunStats) =>
      runClients(clients, count, stats, async (client, index) => {
        const id = await stats.time(() => start(`bench${client + 1}`));
        await stats.time(() => complete(id, 'fill', fillData(index)));
        await stats.time(() => complete(id, expectedSecondTask(index), {}));
      }),
    close: () => db.destroy(),
  };
}
