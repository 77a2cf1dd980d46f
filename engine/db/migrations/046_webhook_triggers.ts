/**
 * Webhook events are queued by database triggers, in the transaction of the change itself:
 * every path that writes a record, a task or an instance (commands, automations, imports,
 * retention, the write batch) is covered without each one remembering to call something, and
 * a committed change always has its deliveries and their `webhook:deliver` jobs committed with
 * it. Inserts and record writes use statement-level triggers with transition tables: one
 * check per statement, so a bulk write (an import of 100,000 rows) pays one EXISTS on the
 * small subscriptions table when nobody subscribed, not one per row. Updates of tasks and
 * instances use row-level triggers behind a WHEN (see TriggerSpec.row).
 *
 * A subject holds ids (records: their data is encrypted and read, masked, when the body is
 * built) or the columns of the task or instance as the statement left them.
 */
import type { Knex } from 'knex';

const ENQUEUE = `
CREATE OR REPLACE FUNCTION liuzhuan_webhook_enqueue(items jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE queued int;
BEGIN
  IF items IS NULL OR jsonb_array_length(items) = 0 THEN RETURN; END IF;
  WITH ev AS (
    SELECT e->>'event' AS event, e->>'formKey' AS form_key, e->>'definitionKey' AS definition_key, e->'subject' AS subject
      FROM jsonb_array_elements(items) AS e
  ), delivery AS (
    INSERT INTO webhook_deliveries (subscription_id, event, subject)
    SELECT s.id, ev.event, ev.subject
      FROM ev JOIN webhook_subscriptions s
        ON s.enabled AND ev.event = ANY (s.events)
       AND (ev.form_key IS NULL OR cardinality(s.form_keys) = 0 OR ev.form_key = ANY (s.form_keys))
       AND (ev.definition_key IS NULL OR cardinality(s.definition_keys) = 0 OR ev.definition_key = ANY (s.definition_keys))
    RETURNING id
  )
  -- retries_left only guards against the handler itself crashing; HTTP failures are retried
  -- by the handler with the webhook back-off (engine/webhooks/deliver.ts).
  INSERT INTO jobs (id, type, due_at, payload, retries_left)
  SELECT gen_random_uuid(), 'webhook:deliver', now(), jsonb_build_object('deliveryId', delivery.id), 5 FROM delivery;
  GET DIAGNOSTICS queued = ROW_COUNT;
  IF queued > 0 THEN PERFORM pg_notify('liuzhuan_jobs', queued::text); END IF;
END $$`;

/** True when some enabled subscription wants one of these events: the cheap test every trigger makes first. */
const WANTED = (events: string[]) =>
  `EXISTS (SELECT 1 FROM webhook_subscriptions WHERE enabled AND events && ARRAY[${events.map((e) => `'${e}'`).join(', ')}]::text[])`;

const TASK_SUBJECT = `jsonb_build_object(
  'taskId', t.id, 'instanceId', t.instance_id, 'elementId', t.element_id, 'name', t.name, 'formKey', t.form_key,
  'assignee', t.assignee, 'candidateUsers', to_jsonb(t.candidate_users), 'candidateGroups', to_jsonb(t.candidate_groups),
  'status', t.status, 'dueAt', t.due_at, 'createdAt', t.created_at, 'endedAt', t.ended_at, 'completedBy', t.completed_by,
  'definitionKey', i.definition_key, 'businessKey', i.business_key)`;

const INSTANCE_SUBJECT = `jsonb_build_object(
  'instanceId', n.id, 'definitionKey', n.definition_key, 'businessKey', n.business_key, 'status', n.status,
  'startedBy', n.started_by, 'startedAt', n.started_at, 'endedAt', n.ended_at, 'parentInstanceId', n.parent_instance_id)`;

const item = (event: string, formKey: string, definitionKey: string, subject: string) =>
  `jsonb_build_object('event', ${event}, 'formKey', ${formKey}, 'definitionKey', ${definitionKey}, 'subject', ${subject})`;

interface TriggerSpec {
  name: string;
  table: string;
  on: 'INSERT' | 'UPDATE' | 'DELETE';
  events: string[];
  /** A query returning one jsonb array of items (rows `n` new, `o` old). */
  items: string;
  /**
   * Row level instead: for the updates every command makes (an instance's row, its tasks), a
   * WHEN on the changed columns skips the function entirely unless the row really finished or
   * changed hands, and no transition table is captured for the many updates that do neither.
   */
  row?: { columns: string; when: string };
}

const RECORD_REF = `jsonb_build_object('formKey', n.form_key, 'recordId', n.id, 'formVersion', n.form_version)`;

const TRIGGERS: TriggerSpec[] = [
  {
    name: 'records_inserted',
    table: 'records',
    on: 'INSERT',
    events: ['record.created'],
    items: `SELECT jsonb_agg(${item(`'record.created'`, 'n.form_key', 'NULL', RECORD_REF)}) FROM new_rows n`,
  },
  {
    name: 'records_updated',
    table: 'records',
    on: 'UPDATE',
    events: ['record.updated'],
    // Linking a record to its instance is not a change of the record's data.
    items: `SELECT jsonb_agg(${item(`'record.updated'`, 'n.form_key', 'NULL', RECORD_REF)})
              FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.data IS DISTINCT FROM o.data`,
  },
  {
    name: 'records_deleted',
    table: 'records',
    on: 'DELETE',
    events: ['record.deleted'],
    items: `SELECT jsonb_agg(${item(`'record.deleted'`, 'n.form_key', 'NULL', RECORD_REF)}) FROM old_rows n`,
  },
  {
    name: 'tasks_inserted',
    table: 'tasks',
    on: 'INSERT',
    events: ['task.created'],
    items: `SELECT jsonb_agg(${item(`'task.created'`, 'NULL', 'i.definition_key', TASK_SUBJECT)})
              FROM new_rows t JOIN process_instances i ON i.id = t.instance_id`,
  },
  {
    name: 'tasks_updated',
    table: 'tasks',
    on: 'UPDATE',
    events: ['task.assigned', 'task.completed'],
    row: {
      columns: 'assignee, status',
      when: 'NEW.assignee IS DISTINCT FROM OLD.assignee OR NEW.status IS DISTINCT FROM OLD.status',
    },
    items: `SELECT jsonb_agg(${item('c.event', 'NULL', 'i.definition_key', TASK_SUBJECT)})
              FROM (SELECT NEW.*) t CROSS JOIN (SELECT OLD.*) o JOIN process_instances i ON i.id = t.instance_id
              CROSS JOIN LATERAL (VALUES
                (CASE WHEN t.status = 'open' AND t.assignee IS NOT NULL AND t.assignee IS DISTINCT FROM o.assignee THEN 'task.assigned' END),
                (CASE WHEN t.status = 'completed' AND o.status <> 'completed' THEN 'task.completed' END)
              ) AS c(event)
             WHERE c.event IS NOT NULL`,
  },
  {
    name: 'instances_inserted',
    table: 'process_instances',
    on: 'INSERT',
    events: ['instance.started', 'instance.finished'],
    // An instance that runs start to end in one command is written once, already finished.
    items: `SELECT jsonb_agg(${item('c.event', 'NULL', 'n.definition_key', INSTANCE_SUBJECT)})
              FROM new_rows n CROSS JOIN LATERAL (VALUES
                ('instance.started'),
                (CASE WHEN n.status IN ('completed', 'terminated') THEN 'instance.finished' END)
              ) AS c(event)
             WHERE c.event IS NOT NULL`,
  },
  {
    name: 'instances_updated',
    table: 'process_instances',
    on: 'UPDATE',
    events: ['instance.finished'],
    row: {
      columns: 'status',
      when: "NEW.status IN ('completed', 'terminated') AND OLD.status NOT IN ('completed', 'terminated')",
    },
    items: `SELECT jsonb_agg(${item(`'instance.finished'`, 'NULL', 'n.definition_key', INSTANCE_SUBJECT)}) FROM (SELECT NEW.*) n`,
  },
];

function transition(on: TriggerSpec['on']): string {
  if (on === 'INSERT') return 'REFERENCING NEW TABLE AS new_rows';
  if (on === 'DELETE') return 'REFERENCING OLD TABLE AS old_rows';
  return 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows';
}

export async function up(db: Knex): Promise<void> {
  await db.raw(ENQUEUE);
  for (const spec of TRIGGERS) {
    await db.raw(`
      CREATE OR REPLACE FUNCTION liuzhuan_webhook_${spec.name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF ${WANTED(spec.events)} THEN
          PERFORM liuzhuan_webhook_enqueue((${spec.items}));
        END IF;
        RETURN NULL;
      END $$`);
    await db.raw(
      spec.row
        ? `CREATE TRIGGER liuzhuan_webhook_${spec.name} AFTER ${spec.on} OF ${spec.row.columns} ON ${spec.table}
           FOR EACH ROW WHEN (${spec.row.when}) EXECUTE FUNCTION liuzhuan_webhook_${spec.name}()`
        : `CREATE TRIGGER liuzhuan_webhook_${spec.name} AFTER ${spec.on} ON ${spec.table}
           ${transition(spec.on)} FOR EACH STATEMENT EXECUTE FUNCTION liuzhuan_webhook_${spec.name}()`,
    );
  }
  // Re-send looks for a delivery's waiting job.
  await db.raw(`CREATE INDEX jobs_webhook_delivery ON jobs ((payload->>'deliveryId')) WHERE type = 'webhook:deliver'`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS jobs_webhook_delivery');
  for (const spec of TRIGGERS) {
    await db.raw(`DROP TRIGGER IF EXISTS liuzhuan_webhook_${spec.name} ON ${spec.table}`);
    await db.raw(`DROP FUNCTION IF EXISTS liuzhuan_webhook_${spec.name}()`);
  }
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_webhook_enqueue(jsonb)');
}
