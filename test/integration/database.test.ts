import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../helpers/database.ts';

const testDb = useTestDatabase();

describe('test database', () => {
  it('is migrated and isolated per file', async () => {
    const tables = await testDb.db('information_schema.tables')
      .where({ table_schema: 'public' })
      .pluck('table_name');
    expect(tables).toEqual(expect.arrayContaining(['users', 'forms', 'records', 'process_instances', 'jobs']));
    const [{ current_database: name }] = (await testDb.db.raw('SELECT current_database()')).rows;
    expect(name).toMatch(/^lz_test_[0-9a-f]{12}$/);
  });

  it('supports SKIP LOCKED and LISTEN/NOTIFY', async () => {
    const result = await testDb.db.raw('SELECT 1 AS one FOR UPDATE SKIP LOCKED');
    expect(result.rows[0].one).toBe(1);
  });
});
