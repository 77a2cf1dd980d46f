/**
 * The socket.io Postgres adapter's table: a broadcast larger than NOTIFY's 8000-byte limit
 * is stored here and only its id is notified. Each node deletes rows older than 30 s.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('socket_io_attachments', (t) => {
    t.bigIncrements('id');
    t.timestamp('created_at', { useTz: true }).defaultTo(db.fn.now());
    t.binary('payload');
    t.index(['created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('socket_io_attachments');
}
