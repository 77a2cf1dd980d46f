/**
 * Less for PostgreSQL to write per instance (issue 16, docs/benchmarks.md "What PostgreSQL writes
 * per instance"). Measured with bench/writeCost.ts: WAL records by relation (pg_waldump), HOT
 * ratio per table, and the backends' CPU.
 *
 * 1. Two GIN indexes nobody's query uses any more, written by every task insert and by every
 *    task update that is not HOT (all of them: completing a task changes `status`):
 *    `tasks_candidate_groups` (001, over every task) and `tasks_open_candidate_users` (010, over
 *    open tasks). The 待办 box's unassigned arm is served by migration 043's partial indexes
 *    (open and unassigned), and every other query on the candidate columns either goes through
 *    `instance_id` (instance access, the relay) or tests `? = ANY (candidate_…)`, which a GIN
 *    index cannot serve. Each was a pending-list entry plus its meta-page update per write.
 * 2. `activity_history` keeps one unique index on `id` (what its updates look up) instead of
 *    two: the primary key on `seq` is dropped. `seq` is still filled from its sequence, ordered
 *    by through (instance_id, seq), and never looked up alone. The `id` constraint becomes the
 *    replica identity. One index insert fewer per activity (five per instance of the benchmark).
 * 3. The webhook triggers of tasks and instances (migration 046) run only while some enabled
 *    subscription wants one of their events: a trigger on `webhook_subscriptions` enables or
 *    disables them (ALTER TABLE … ENABLE/DISABLE TRIGGER) in the transaction of the
 *    subscription change, so every node sees the change with the subscription itself. Without a
 *    subscription a task insert no longer captures a transition table and calls a function, a
 *    completion no longer queues a row trigger. Subscription changes are serialised (advisory
 *    lock) and each decides on what is committed then; ALTER waits for the commands writing the
 *    table to finish (they are short) — a disable that cannot get the lock within 5 s leaves the
 *    trigger enabled (the function's own EXISTS still answers), an enable that cannot fails the
 *    subscription change rather than miss events. Records' triggers stay as they are: imports
 *    write records in long transactions, and an ALTER waiting behind one would queue every
 *    record write behind it.
 */
import type { Knex } from 'knex';

/** The triggers of migration 046 that are switched, with the events each can raise. */
const SWITCHED = [
  { table: 'tasks', trigger: 'liuzhuan_webhook_tasks_inserted', events: ['task.created'] },
  { table: 'tasks', trigger: 'liuzhuan_webhook_tasks_updated', events: ['task.assigned', 'task.completed'] },
  { table: 'process_instances', trigger: 'liuzhuan_webhook_instances_inserted', events: ['instance.started', 'instance.finished'] },
  { table: 'process_instances', trigger: 'liuzhuan_webhook_instances_updated', events: ['instance.finished'] },
];

const SPECS = SWITCHED.map(
  (s) => `('${s.table}', '${s.trigger}', ARRAY[${s.events.map((e) => `'${e}'`).join(', ')}]::text[])`,
).join(',\n      ');

/**
 * Runs as its owner (the migrations' role owns the tables), so the application's role needs no
 * ALTER rights. In READ COMMITTED each query below sees what was committed when it started: the
 * advisory lock makes a concurrent subscription change wait until this one committed, and then
 * decide on it. Under a stronger isolation the snapshot is older than the lock, so it only ever
 * enables (an enabled trigger without a subscription costs time, never an event).
 */
const SYNC = `
CREATE OR REPLACE FUNCTION liuzhuan_webhook_switch_triggers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  spec record;
  wanted boolean;
  is_on boolean;
  may_disable boolean := current_setting('transaction_isolation') = 'read committed';
  timeout text := current_setting('lock_timeout');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('liuzhuan_webhook_switch_triggers'));
  FOR spec IN SELECT * FROM (VALUES
      ${SPECS}
    ) AS s(tbl, trg, events)
  LOOP
    wanted := EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.enabled AND s.events && spec.events);
    SELECT t.tgenabled <> 'D' INTO is_on FROM pg_trigger t WHERE t.tgrelid = spec.tbl::regclass AND t.tgname = spec.trg;
    IF is_on IS NULL THEN CONTINUE; END IF;
    IF wanted AND NOT is_on THEN
      EXECUTE format('ALTER TABLE %I ENABLE TRIGGER %I', spec.tbl, spec.trg);
    ELSIF is_on AND NOT wanted AND may_disable THEN
      BEGIN
        PERFORM set_config('lock_timeout', '5s', true);
        EXECUTE format('ALTER TABLE %I DISABLE TRIGGER %I', spec.tbl, spec.trg);
      EXCEPTION WHEN lock_not_available THEN
        NULL; -- left enabled: the trigger's own check still finds no subscription
      END;
      PERFORM set_config('lock_timeout', timeout, true);
    END IF;
  END LOOP;
  RETURN NULL;
END $$`;

export async function up(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS tasks_candidate_groups');
  await db.raw('DROP INDEX IF EXISTS tasks_open_candidate_users');

  await db.raw('ALTER TABLE activity_history REPLICA IDENTITY USING INDEX activity_history_id_unique');
  await db.raw('ALTER TABLE activity_history DROP CONSTRAINT activity_history_pkey');

  await db.raw(SYNC);
  await db.raw(`CREATE TRIGGER liuzhuan_webhook_switch_triggers
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION liuzhuan_webhook_switch_triggers()`);
  // Now, for the subscriptions there are (a no-op update fires the switch once).
  await db.raw('UPDATE webhook_subscriptions SET enabled = enabled WHERE false');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP TRIGGER IF EXISTS liuzhuan_webhook_switch_triggers ON webhook_subscriptions');
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_webhook_switch_triggers()');
  for (const s of SWITCHED) await db.raw(`ALTER TABLE ${s.table} ENABLE TRIGGER ${s.trigger}`);

  await db.raw('ALTER TABLE activity_history ADD CONSTRAINT activity_history_pkey PRIMARY KEY (seq)');
  await db.raw('ALTER TABLE activity_history REPLICA IDENTITY DEFAULT');

  await db.raw("CREATE INDEX IF NOT EXISTS tasks_open_candidate_users ON tasks USING gin (candidate_users) WHERE status = 'open'");
  await db.raw('CREATE INDEX IF NOT EXISTS tasks_candidate_groups ON tasks USING gin (candidate_groups)');
}
