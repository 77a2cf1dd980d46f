/**
 * `npm run rotate-key [-- --batch 500]`: re-encrypts every personal value with the current data
 * key (the first of LIUZHUAN_DATA_KEYS), printing progress per form; older keys may be removed
 * from LIUZHUAN_DATA_KEYS once it has finished (docs/privacy.md). Safe to stop and run again;
 * servers may keep running meanwhile (they must already list the new key first).
 *
 * Database: DATABASE_URL, else the embedded one under LIUZHUAN_DATA_DIR (default .data) —
 * which must not be in use by a running server (stop it first, or set DATABASE_URL).
 */
import { Command, InvalidArgumentError } from 'commander';
import { openDatabase } from '../engine/db/database.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { configureDataKeys, readKeyring } from '../engine/privacy/keys.ts';
import { rotateDataKey } from '../engine/privacy/rotate.ts';
import { readConfig } from '../server/config.ts';

const program = new Command()
  .name('npm run rotate-key --')
  .description('Re-encrypt every personal value with the current data key (LIUZHUAN_DATA_KEYS, first key).')
  .option('--batch <n>', 'records per transaction (1–5000)', (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > 5000) throw new InvalidArgumentError('--batch must be a whole number from 1 to 5000.');
    return n;
  }, 500)
  .parse();

async function main(): Promise<void> {
  const { batch } = program.opts<{ batch: number }>();
  const config = readConfig();
  const keys = readKeyring({ LIUZHUAN_DATA_KEYS: config.dataKeys }, config.dataDir);
  configureDataKeys(keys);
  process.stderr.write(`Current data key: ${keys.current.id} (from ${keys.source === 'file' ? keys.file : 'LIUZHUAN_DATA_KEYS'}); known keys: ${[...keys.byId.keys()].join(', ')}\n`);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const result = await rotateDataKey(database.db, {
      batch,
      onProgress: (p) => process.stderr.write(`  ${p.formKey}: ${p.scanned} records read, ${p.changed} re-encrypted\n`),
    });
    const total = result.forms.reduce((sum, form) => sum + form.changed, 0);
    process.stdout.write(`Done: ${total} records re-encrypted with key ${result.keyId} across ${result.forms.length} forms.\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rotate-key failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
