/**
 * Run by globalSetup in a child process (`node --import tsx test/helpers/installTemplateApp.ts
 * <databaseUrl>`): one first start with the template app on the given (migrated, empty)
 * database — forms, demo records, departments and demo users, routing, permissions,
 * processes, dashboards — then a clean stop. Test servers that load the templates start from
 * a copy of it (test/helpers/templateDatabase.ts) instead of installing everything again.
 *
 * A child process, because a server started in vitest's own process would leave its modules,
 * workers and settings there for the rest of the run.
 */
import { connect } from '../../engine/db/connection.ts';
import { readConfig } from '../../server/config.ts';
import { startServer } from '../../server/server.ts';
import { TEST_ADMIN_PASSWORD } from './testAdmin.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: installTemplateApp.ts <databaseUrl>');

const config = {
  ...readConfig({ PORT: '0', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LIUZHUAN_LOAD_TEMPLATES: 'true', LIUZHUAN_DEMO_CUSTOMERS: '0' }),
  databaseUrl: url,
};
const db = connect(url, { poolMax: 2 });
const server = await startServer(config, { db, url, embedded: false, close: async () => {} });
await server.close();
await db.destroy();
