/**
 * `npm run check:consistency [-- --json]`: verifies the database invariants of the stored
 * process state (engine/consistency/) and prints each violation with its instance; exit code
 * 1 if there is any, 0 if none. Read-only: safe while servers run (one snapshot).
 *
 * Database: DATABASE_URL, else the embedded one under LIUZHUAN_DATA_DIR (default .data),
 * joined while a server runs on it.
 */
import { Command } from 'commander';
import { connect } from '../engine/db/connection.ts';
import { checkConsistency } from '../engine/consistency/index.ts';
import { readConfig } from '../server/config.ts';
import { openOperatorDatabase } from './operatorDatabase.ts';

const program = new Command()
  .name('npm run check:consistency --')
  .description('Verify the database invariants of processes, tasks, jobs and flow-form records; exit 1 on any violation.')
  .option('--json', 'print the violations as JSON on stdout (progress still goes to stderr)')
  .parse();

async function main(): Promise<void> {
  const { json } = program.opts<{ json?: boolean }>();
  const database = await openOperatorDatabase(readConfig());
  const db = connect(database.url, { poolMax: 1 });
  try {
    process.stderr.write(`Checking ${database.description}\n`);
    const schema = await db.raw(`SELECT to_regclass('process_instances') IS NOT NULL AS found`);
    if (!schema.rows[0].found) throw new Error(`${database.description} holds no Liuzhuan tables (start a server on it once, or point DATABASE_URL at the right database).`);
    const violations = await checkConsistency(db, (name, count) => process.stderr.write(`  ${count === 0 ? 'ok  ' : 'FAIL'} ${name}${count ? `: ${count}` : ''}\n`));
    if (json) process.stdout.write(`${JSON.stringify({ violations }, null, 2)}\n`);
    else {
      for (const violation of violations) process.stdout.write(`${violation.instanceId}  ${violation.invariant}  ${violation.detail}\n`);
      process.stdout.write(violations.length === 0 ? 'No violations.\n' : `${violations.length} violation(s).\n`);
    }
    process.exitCode = violations.length === 0 ? 0 : 1;
  } finally {
    await db.destroy();
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`check:consistency failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
