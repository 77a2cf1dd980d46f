/**
 * The one command executor (engine/commands/runCommand.ts): events and after-commit hooks
 * only after the commit and never after a rollback; work after the flush sees the flushed
 * rows; a command nested in another's transaction holds its events until the outer commit
 * and rolls back with it; a lost race answers 409.
 */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../engine/commands/runCommand.ts';
import { startInstance } from '../../engine/commands/startInstance.ts';
import { ConflictError } from '../../engine/errors.ts';
import type { DomainEvent } from '../../engine/events.ts';
import { latestDefinition } from '../../engine/store/definitions.ts';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';

const t = useEngine();

const ONE_TASK = bpmn(`<process id="oneTask" isExecutable="true">
  <startEvent id="start"/><userTask id="review"/><endEvent id="end"/>
  ${flow('start', 'review')}${flow('review', 'end')}
</process>`);

/** An event only these tests emit: an `instance.updated` naming no real instance. */
const marker = (name: string): DomainEvent => ({ type: 'instance.updated', rooms: [], payload: { instanceId: `marker:${name}`, status: 'active' } });
const markers = () =>
  t.events.flatMap((event) => (event.type === 'instance.updated' && event.payload.instanceId.startsWith('marker:') ? [event.payload.instanceId.slice(7)] : []));
const instanceCount = async (key: string) =>
  Number((await t.engine.deps.db('process_instances').where({ definition_key: key }).count({ n: '*' }))[0]!.n);

describe('command executor', () => {
  it('publishes emitted events and runs after-commit hooks only once the transaction committed', async () => {
    const seen: string[] = [];
    await runCommand(t.engine.deps, async (_uow, scope) => {
      scope.emit(marker('committed'));
      scope.afterFlush(async () => {
        seen.push(`after flush, published: ${markers().includes('committed')}`);
      });
      scope.afterCommit(() => {
        seen.push(`after commit, published: ${markers().includes('committed')}`);
      });
    });
    expect(seen).toEqual(['after flush, published: false', 'after commit, published: true']);
  });

  it('publishes nothing and runs no hook when the command fails', async () => {
    await t.deploy(ONE_TASK);
    let hookRan = false;
    const failing = runCommand(t.engine.deps, async (uow, scope) => {
      uow.start((await latestDefinition(uow.trx, 'oneTask'))!, {});
      scope.emit(marker('rolled back'));
      scope.afterCommit(() => {
        hookRan = true;
      });
      scope.afterFlush(async () => {
        throw new Error('fails after the flush');
      });
    });
    await expect(failing).rejects.toThrow('fails after the flush');
    expect(markers()).not.toContain('rolled back');
    expect(hookRan).toBe(false);
    // The flushed instance went with the rollback.
    expect(await instanceCount('oneTask')).toBe(0);
  });

  it('holds the events of a nested command until the outer commit, and rolls it back with the outer one', async () => {
    await t.deploy(ONE_TASK);
    const before = t.events.length;
    let publishedInside = -1;
    const started = await runCommand(t.engine.deps, async (_uow, scope) => {
      const inner = await startInstance(scope.nested(), { definitionKey: 'oneTask' });
      publishedInside = t.events.length - before;
      return inner;
    });
    expect(publishedInside).toBe(0);
    expect(t.events.slice(before).some((event) => 'instanceId' in event.payload && event.payload.instanceId === started.id)).toBe(true);

    const count = await instanceCount('oneTask');
    const afterFirst = t.events.length;
    const failing = runCommand(t.engine.deps, async (_uow, scope) => {
      await startInstance(scope.nested(), { definitionKey: 'oneTask' });
      throw new Error('the outer command fails after the nested one succeeded');
    });
    await expect(failing).rejects.toThrow('the outer command fails');
    expect(await instanceCount('oneTask')).toBe(count);
    expect(t.events.length).toBe(afterFirst);
  });

  it('answers a serialization failure or deadlock with 409', async () => {
    for (const code of ['40001', '40P01']) {
      const lost = runCommand(t.engine.deps, async () => {
        throw Object.assign(new Error('could not serialize access'), { code });
      });
      await expect(lost).rejects.toBeInstanceOf(ConflictError);
    }
  });
});
