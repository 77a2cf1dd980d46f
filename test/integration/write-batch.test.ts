/**
 * The flush's write batch (engine/db/writeBatch.ts) against the real PostgreSQL: whatever a
 * value holds — quotes, backslashes, `?` (knex's placeholder), `$1`, NUL-free unicode, JSON,
 * arrays, dates — what is read back is what was written, in one round trip for the writes;
 * a read in between sees the writes before it; a failing statement rolls the whole
 * transaction back and its error keeps PostgreSQL's code without the written values.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { countRoundTrips } from '../../bench/roundTrips.ts';
import { connect, type Db } from '../../engine/db/connection.ts';
import { batchWrites, isPlainWrite, mainStatement, QUERY_CHARS } from '../../engine/db/writeBatch.ts';
import { useTestDatabase } from '../helpers/database.ts';

const database = useTestDatabase();

beforeAll(async () => {
  await database.db.raw(`CREATE TABLE batch_probe (
    id int PRIMARY KEY, label text, tags text[], doc jsonb, at timestamptz, flag boolean, amount numeric)`);
});

/** Text PostgreSQL can store: no NUL (text refuses it), no lone surrogates (not UTF-8). */
const storable = fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => text.replace(/\u0000/g, ''));
const hostile = fc.oneof(storable, fc.constantFrom("'", "''", '\\', "\\'", '?', '??', '\\?', '$1', '$$', "E'x'", '--', ';', '/*', '{"a":"b"}', '{a,b}', 'NULL', '\u4e2d\u6587\ud83d\ude00'));

describe('write batch', () => {
  it('round-trips hostile values exactly, all writes in one round trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ label: hostile, tags: fc.array(hostile, { maxLength: 4 }), key: hostile, value: hostile, amount: fc.integer(), flag: fc.boolean() }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (rows) => {
          const at = new Date('2026-03-04T05:06:07.089Z');
          const counter = countRoundTrips(database.db);
          await database.db.transaction(async (trx) => {
            await trx('batch_probe').delete();
            counter.reset();
            const batch = batchWrites(trx);
            for (const [index, row] of rows.entries()) {
              await batch.db('batch_probe').insert({
                id: index, label: row.label, tags: row.tags, doc: JSON.stringify({ [row.key]: row.value, list: [row.value] }), at, flag: row.flag, amount: row.amount,
              });
            }
            await batch.db('batch_probe').where({ id: 0 }).update({ label: batch.db.raw('label || ?', [rows[0]!.value]) });
            expect(counter.count).toBe(0);
            await batch.send();
            expect(counter.count).toBe(1);
          });
          counter.detach();
          const stored = await database.db('batch_probe').orderBy('id');
          expect(stored).toHaveLength(rows.length);
          for (const [index, row] of rows.entries()) {
            const got = stored[index];
            expect(got.label).toBe(index === 0 ? row.label + rows[0]!.value : row.label);
            expect(got.tags).toEqual(row.tags);
            expect(got.doc).toEqual({ [row.key]: row.value, list: [row.value] });
            expect(got.at.toISOString()).toBe(at.toISOString());
            expect(got.flag).toBe(row.flag);
            expect(Number(got.amount)).toBe(row.amount);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a read sends the writes before it, so it sees them', async () => {
    await database.db.transaction(async (trx) => {
      await trx('batch_probe').delete();
      const batch = batchWrites(trx);
      await batch.db('batch_probe').insert({ id: 1, label: 'first' });
      const seen = await batch.db('batch_probe').where({ id: 1 }).first();
      expect(seen.label).toBe('first');
      // A write that returns rows runs at once, after what is queued.
      await batch.db('batch_probe').insert({ id: 2, label: 'second' });
      const [returned] = await batch.db('batch_probe').where({ id: 2 }).update({ label: 'changed' }).returning('label');
      expect(returned.label).toBe('changed');
      await batch.send();
    });
    expect(await database.db('batch_probe').orderBy('id').pluck('label')).toEqual(['first', 'changed']);
  });

  it('a failing statement fails the transaction whole, with PostgreSQL\'s code and without the values written', async () => {
    await database.db('batch_probe').delete();
    await database.db('batch_probe').insert({ id: 7, label: 'kept' });
    const error = (await database.db
      .transaction(async (trx) => {
        const batch = batchWrites(trx);
        await batch.db('batch_probe').insert({ id: 8, label: 'secret-value-8' });
        await batch.db('batch_probe').insert({ id: 7, label: 'secret-value-7' }); // duplicate key
        await batch.send();
      })
      .catch((caught: unknown) => caught)) as { code?: string; message: string };
    expect(error.code).toBe('23505');
    expect(error.message).not.toContain('secret-value');
    expect(await database.db('batch_probe').orderBy('id').pluck('id')).toEqual([7]);
  });

  it('sends a batch of more than QUERY_CHARS of text as several queries in order, values intact', async () => {
    // 30 rows of 43,750 characters each, quotes, backslashes and `?` among them: escaped, about
    // 59,000 characters of statement text each, 1.8 MB in all, two queries of QUERY_CHARS (1 MB).
    const label = (index: number) => `${index}:${"it's \\ a ? $1 ".repeat(3_125)}`;
    await database.db('batch_probe').delete();
    const counter = countRoundTrips(database.db);
    await database.db.transaction(async (trx) => {
      counter.reset();
      const batch = batchWrites(trx);
      for (let index = 0; index < 30; index += 1) await batch.db('batch_probe').insert({ id: index, label: label(index) });
      // The same row written again later in the batch: the queries run in order.
      await batch.db('batch_probe').where({ id: 0 }).update({ label: 'last word' });
      await batch.send();
      expect(QUERY_CHARS).toBe(1_000_000);
      expect(counter.count).toBe(2);
    });
    counter.detach();
    const stored = await database.db('batch_probe').orderBy('id').pluck('label');
    expect(stored).toHaveLength(30);
    expect(stored[0]).toBe('last word');
    for (let index = 1; index < 30; index += 1) expect(stored[index]).toBe(label(index));
  });

  it('tells writes whose result nobody can use from statements that answer something', () => {
    expect(isPlainWrite('UPDATE tasks SET status = ? WHERE id = ?')).toBe(true);
    expect(isPlainWrite('insert into jobs (id) values (?) returning id')).toBe(false);
    expect(isPlainWrite(`WITH cancelled AS (UPDATE tasks SET status = 'x' WHERE id = ANY(?) RETURNING 1) DELETE FROM jobs WHERE id = ANY(?)`)).toBe(true);
    expect(isPlainWrite('WITH gone AS (DELETE FROM jobs RETURNING id) SELECT count(*) FROM gone')).toBe(false);
    expect(isPlainWrite("WITH a AS (SELECT ')' AS p) UPDATE t SET x = (SELECT p FROM a) RETURNING x")).toBe(false);
    expect(isPlainWrite("SELECT pg_notify(?, '1') WHERE EXISTS (SELECT 1)")).toBe(true);
    expect(isPlainWrite('SELECT * FROM tasks')).toBe(false);
    expect(mainStatement("WITH a AS (SELECT '(' AS p), b AS (SELECT 1) INSERT INTO t SELECT * FROM a")).toBe('INSERT INTO t SELECT * FROM a');
  });
});

describe('write batch and savepoints', () => {
  it('sends the queued writes before a nested transaction: it sees them, and rolling it back keeps them', async () => {
    await database.db('batch_probe').delete();
    let seenInside: unknown;
    await database.db.transaction(async (trx) => {
      const batch = batchWrites(trx);
      await batch.db('batch_probe').insert({ id: 11, label: 'before the savepoint' });
      await batch.db
        .transaction(async (inner) => {
          seenInside = await inner('batch_probe').where({ id: 11 }).first();
          await inner('batch_probe').insert({ id: 12, label: 'inside' });
          throw new Error('roll back to the savepoint');
        })
        .catch(() => undefined);
      await batch.send();
    });
    expect(seenInside).toMatchObject({ label: 'before the savepoint' });
    expect(await database.db('batch_probe').orderBy('id').pluck('id')).toEqual([11]);
  });
});

describe('statements prepared per connection', () => {
  /** The statements prepared on the connection the transaction holds. */
  const preparedOn = async (trx: Db) =>
    ((await trx.raw("SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'lz_write_%'")).rows as { name: string; statement: string }[]);

  it('prepares a write once and then only executes it; a failed batch leaves no name half-known', async () => {
    const db = connect(database.url, { poolMax: 1 });
    try {
      await db('batch_probe').delete();
      const counter = countRoundTrips(db, { keep: true });
      for (const id of [1, 2]) {
        await db.transaction(async (trx) => {
          const batch = batchWrites(trx);
          await batch.db('batch_probe').insert({ id, label: `row ${id}` });
          await batch.send();
        });
      }
      const sent = counter.statements.filter((text) => /^(PREPARE|EXECUTE) /.test(text));
      expect(sent[0]).toMatch(/^PREPARE lz_write_\d+ AS insert into "batch_probe"/);
      expect(sent[1]).toMatch(/^EXECUTE lz_write_\d+\(E'2', E'row 2'\)$/);
      counter.detach();

      // A batch that fails before a new statement's PREPARE ran: that text must be prepared
      // again (under a new name) by the next batch, not executed under a name that never came to be.
      const failing = db.transaction(async (trx) => {
        const batch = batchWrites(trx);
        await batch.db('batch_probe').insert({ id: 1, label: 'duplicate key' });
        await batch.db('batch_probe').where({ id: 2 }).update({ label: 'never' });
        await batch.send();
      });
      await expect(failing).rejects.toMatchObject({ code: '23505' });
      await db.transaction(async (trx) => {
        const batch = batchWrites(trx);
        await batch.db('batch_probe').where({ id: 2 }).update({ label: 'updated' });
        await batch.send();
        expect((await preparedOn(trx)).filter((row) => row.statement.includes('update "batch_probe"')).length).toBe(1);
      });
      expect((await db('batch_probe').where({ id: 2 }).first()).label).toBe('updated');
    } finally {
      await db.destroy();
    }
  });
});
