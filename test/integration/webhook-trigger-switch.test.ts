/**
 * Migration 052: the webhook triggers of tasks and instances run only while an enabled
 * subscription wants one of their events, switched in the transaction of the subscription
 * change. What must hold: a subscription's events are never missed (its trigger is on from the
 * moment it commits, whatever else changes subscriptions at the same time), and without one
 * nothing is captured. Deliveries themselves are covered by webhooks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../engine/db/connection.ts';
import { useTestDatabase } from '../helpers/database.ts';

const t = useTestDatabase();

async function states(): Promise<Record<string, boolean>> {
  const { rows } = await t.db.raw<{ rows: Array<{ tgname: string; on: boolean }> }>(
    `SELECT tgname, tgenabled <> 'D' AS on FROM pg_trigger
      WHERE tgname IN ('liuzhuan_webhook_tasks_inserted', 'liuzhuan_webhook_tasks_updated',
                       'liuzhuan_webhook_instances_inserted', 'liuzhuan_webhook_instances_updated', 'liuzhuan_webhook_records_inserted')`,
  );
  return Object.fromEntries(rows.map((row) => [row.tgname.replace('liuzhuan_webhook_', ''), row.on]));
}

const subscribe = async (events: string[], enabled = true) =>
  (
    await t.db('webhook_subscriptions')
      .insert({ name: 'n', url: 'https://example.com/hook', secret: 's', events, enabled })
      .returning('id')
  )[0].id as string;

describe('webhook triggers follow the subscriptions', () => {
  it('are off with no subscription, on for the events subscribed to, off again when it goes', async () => {
    await t.db('webhook_subscriptions').delete();
    expect(await states()).toEqual({
      tasks_inserted: false,
      tasks_updated: false,
      instances_inserted: false,
      instances_updated: false,
      records_inserted: true, // records' triggers are never switched
    });

    const id = await subscribe(['task.completed']);
    expect(await states()).toMatchObject({ tasks_inserted: false, tasks_updated: true, instances_inserted: false, instances_updated: false });

    await t.db('webhook_subscriptions').where({ id }).update({ events: ['task.created', 'instance.finished'] });
    expect(await states()).toMatchObject({ tasks_inserted: true, tasks_updated: false, instances_inserted: true, instances_updated: true });

    await t.db('webhook_subscriptions').where({ id }).update({ enabled: false });
    expect(await states()).toMatchObject({ tasks_inserted: false, instances_inserted: false, instances_updated: false });

    const disabled = await subscribe(['task.created'], false);
    expect(await states()).toMatchObject({ tasks_inserted: false });
    await t.db('webhook_subscriptions').where({ id: disabled }).update({ enabled: true });
    expect(await states()).toMatchObject({ tasks_inserted: true });

    await t.db('webhook_subscriptions').delete();
    expect(await states()).toMatchObject({ tasks_inserted: false, tasks_updated: false });
  });

  it('is switched with the subscription change: a rollback leaves it as it was', async () => {
    await t.db('webhook_subscriptions').delete();
    await t.db
      .transaction(async (trx) => {
        await trx('webhook_subscriptions').insert({ name: 'n', url: 'https://example.com/hook', secret: 's', events: ['task.created'] });
        const { rows } = await trx.raw(`SELECT tgenabled <> 'D' AS on FROM pg_trigger WHERE tgname = 'liuzhuan_webhook_tasks_inserted'`);
        expect(rows[0].on).toBe(true);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await states()).toMatchObject({ tasks_inserted: false });
  });

  it('stays on when one subscription is added while the only other one is deleted, concurrently', async () => {
    await t.db('webhook_subscriptions').delete();
    const old = await subscribe(['task.created']);
    // Two sessions: one adds a subscription and holds its transaction open, the other deletes
    // the old one meanwhile. The delete must not decide on a state without the new one.
    const other = connect(t.url, { poolMax: 2 });
    try {
      const adding = other.transaction();
      const trx = await adding;
      await trx('webhook_subscriptions').insert({ name: 'new', url: 'https://example.com/hook', secret: 's', events: ['task.created'] });
      // A knex query runs when awaited or then'd: then it now, so it runs while the insert is open.
      const deleting = t.db('webhook_subscriptions').where({ id: old }).delete().then((count) => count);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await trx.commit();
      await deleting;
    } finally {
      await other.destroy();
    }
    const [{ count: left }] = await t.db('webhook_subscriptions').count<{ count: string }[]>('* as count');
    expect(Number(left)).toBe(1);
    expect(await states()).toMatchObject({ tasks_inserted: true });

    // And a task insert now queues its delivery.
    const { rows: defs } = await t.db.raw(
      `INSERT INTO process_definitions (id, key, version, xml, compiled) VALUES (gen_random_uuid(), 'switch', 1, 'x', '{}') RETURNING id`,
    );
    const { rows: instances } = await t.db.raw(
      `INSERT INTO process_instances (id, definition_id, definition_key, status, state) VALUES (gen_random_uuid(), ?, 'switch', 'active', '{}') RETURNING id`,
      [defs[0].id],
    );
    await t.db('tasks').insert({ id: t.db.raw('gen_random_uuid()'), instance_id: instances[0].id, execution_id: 'e', element_id: 'a', status: 'open' });
    const [{ count: queued }] = await t.db('webhook_deliveries').where({ event: 'task.created' }).count<{ count: string }[]>('* as count');
    expect(Number(queued)).toBe(1);
  });
});
