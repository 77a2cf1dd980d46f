/**
 * Record list at scale (issue 16): `rows` records (1,000,000) of one form, made with
 * set-based SQL, then "a filter and a sort on two fields, first page" through the real record
 * list code (engine/forms/recordFacts.ts listRecordEntries → forms/query.ts → store/records.ts,
 * what `GET /api/forms/:key/records` runs), as an admin, next to a primary-key lookup and a
 * plain count of the form's records in the same run. Target: p99 < 50 ms.
 *
 *  - selective filter: one customer's orders (≈ rows / 5,000), sorted by amount desc, then date;
 *  - broad filter: one region (1/8 of the rows), same sort — the count alone reads 125,000 rows;
 *  - the selective filter again with the expression index an admin would add for that field,
 *    and what the index costs on writes.
 */
import { connect, type Db } from '../engine/db/connection.ts';
import { listRecordEntries } from '../engine/forms/recordFacts.ts';
import type { AuthUser } from '../engine/identity/types.ts';
import { analyze, generate, measure, printTimings, type Log, type Timing } from './scale.ts';

export interface RecordsBenchOptions {
  url: string;
  rows: number;
  runs: number;
  log: Log;
}

const FORM = 'benchorder';
const CUSTOMERS = 5000;
const REGIONS = ['east', 'west', 'north', 'south', 'central', 'northeast', 'northwest', 'southwest'];
const ADMIN: AuthUser = {
  id: '00000000-0000-0000-0000-000000000000', username: 'bench', displayName: 'bench', role: 'admin', locale: 'zh-CN', departmentIds: [], roles: ['admin'], groups: [],
};
const INDEX = 'records_benchorder_customer';
const CREATE_INDEX = `CREATE INDEX ${INDEX} ON records ((data #>> '{customer}')) WHERE form_key = '${FORM}'`;

const schema = {
  type: 'object',
  required: ['customer', 'region', 'amount'],
  properties: {
    customer: { type: 'string', title: '客户' },
    region: { type: 'string', title: '区域', enum: REGIONS },
    category: { type: 'string', enum: ['hardware', 'software', 'service', 'training', 'other'] },
    amount: { type: 'number', title: '金额' },
    signed_on: { type: 'string', format: 'date', title: '签约日期' },
    note: { type: 'string' },
  },
};

function insertOrders(db: Db, from: number, count: number) {
  return db.raw(
    `INSERT INTO records (form_key, form_version, data, created_at, updated_at)
     SELECT ?, 1, jsonb_build_object(
              'customer', 'C' || lpad(((hashint4(g)::bigint & 2147483647) % ${CUSTOMERS})::text, 4, '0'),
              'region', (?::text[])[1 + (hashint4(-g)::bigint & 2147483647) % ${REGIONS.length}],
              'category', (ARRAY['hardware','software','service','training','other'])[1 + g % 5],
              'amount', ((hashint4(g + 7)::bigint & 2147483647) % 1000000) / 100.0,
              'signed_on', to_char(date '2020-01-01' + (g % 2000), 'YYYY-MM-DD'),
              'note', '订单备注 ' || g),
            now() - (? - g) * interval '1 minute', now() - (? - g) * interval '1 minute'
       FROM generate_series(?::int, ?::int) g`,
    [FORM, REGIONS, 2_000_000_000, 2_000_000_000, from, from + count - 1],
  );
}

async function oneRowInserts(db: Db, count: number, from: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await insertOrders(db, from + i, 1);
  return count / ((performance.now() - started) / 1000);
}

export async function runRecordsBench(options: RecordsBenchOptions): Promise<void> {
  const { log, runs } = options;
  const db = connect(options.url, { poolMax: 4 });
  try {
    log(`records: ${options.rows.toLocaleString('en')} records of form "${FORM}"…`);
    await db('forms').insert({ key: FORM, title: '订单', latest_version: 1 });
    await db('form_versions').insert({ form_key: FORM, version: 1, title: '订单', schema: JSON.stringify(schema), ui_schema: '{}' });
    // Loaded without the records' GIN index and rebuilt once after, as a restore would.
    const gin = (await db.raw(`SELECT indexdef FROM pg_indexes WHERE indexname = 'records_data_gin'`)).rows[0]?.indexdef as string | undefined;
    if (gin) await db.raw('DROP INDEX records_data_gin');
    await generate(log, 'records', options.rows, (from, count) => insertOrders(db, from, count));
    if (gin) {
      log('  rebuilding records_data_gin…');
      await db.raw(gin);
    }
    log('  VACUUM ANALYZE…');
    await analyze(db, ['records']);

    const customer = (i: number) => `C${String((i * 37) % CUSTOMERS).padStart(4, '0')}`;
    const region = (i: number) => REGIONS[i % REGIONS.length]!;
    const ids = (await db('records').where({ form_key: FORM }).orderByRaw('random()').limit(50).pluck('id')) as string[];
    const sample = await listRecordEntries(db, FORM, [['filter[customer][eq]', customer(1)], ['sort', '-amount,signed_on']], ADMIN);
    log(`  e.g. customer ${customer(1)}: ${sample.total} records, first page ${sample.items.length}; region ${region(1)}: ${(await listRecordEntries(db, FORM, [['filter[region]', region(1)]], ADMIN)).total} records`);

    const baseline = await measure('baseline: record by primary key', runs, (i) => db('records').where({ id: ids[i % ids.length] }).first());
    const rows: Timing[] = [
      await measure(`reference: count(*) of the form's ${options.rows.toLocaleString('en')} records`, Math.min(runs, 10), () =>
        db('records').where({ form_key: FORM }).count({ n: '*' }),
      ),
    ];
    const selective = (i: number) => listRecordEntries(db, FORM, [['filter[customer][eq]', customer(i)], ['sort', '-amount,signed_on']], ADMIN);
    const broad = (i: number) => listRecordEntries(db, FORM, [['filter[region]', region(i)], ['sort', '-amount,signed_on']], ADMIN);
    rows.push(await measure('customer = C…, sort -amount,signed_on, page 1', Math.min(runs, 20), selective));
    rows.push(await measure('region = …, sort -amount,signed_on, page 1', Math.min(runs, 20), broad));

    const withoutOne = await oneRowInserts(db, 300, 10_000_000);
    const built = performance.now();
    await db.raw(CREATE_INDEX);
    log(`  admin index ${INDEX} built in ${((performance.now() - built) / 1000).toFixed(1)} s: ${CREATE_INDEX}`);
    await db.raw('ANALYZE records');
    const withOne = await oneRowInserts(db, 300, 20_000_000);
    rows.push(await measure('customer = C…, same, with the admin index', runs, selective));
    log(`  write cost of the admin index, one-row inserts (300 each): ${Math.round(withoutOne)} /s without, ${Math.round(withOne)} /s with`);
    printTimings(log, rows, baseline, { ms: 50, of: 'p99' });
  } finally {
    await db.destroy();
  }
}
