/**
 * Starts one Liuzhuan node: database (embedded or given), migrations, first-start data,
 * HTTP. `main.ts` calls it for `npm start`; tests call it to get a real server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type OpenDatabase } from '../engine/db/database.ts';
import { createEngine } from '../engine/engine.ts';
import { configureEngineLimits } from '../engine/limits.ts';
import { configureDataKeys, readKeyring } from '../engine/privacy/keys.ts';
import { EventBus } from '../engine/events.ts';
import { createTaskDataValidator } from '../engine/forms/taskData.ts';
import { hashToken, sessionOfTokenHash } from '../engine/identity/sessions.ts';
import { createSessionCache, listenForIdentityChanges } from '../engine/identity/sessionCache.ts';
import { createApp } from './app.ts';
import { bootstrapData } from './bootstrap.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { log } from './log.ts';
import { attachRealtime } from './realtime/index.ts';

export const VERSION = '0.1.0';

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  http: Server;
  close(): Promise<void>;
}

export async function startServer(config: Config, database?: OpenDatabase): Promise<RunningServer> {
  const opened =
    database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      log: (message) => log.debug({ component: 'postgres' }, message),
      notice: (message) => log.warn({ component: 'postgres' }, message),
    }));
  const events = new EventBus();
  configureEngineLimits(config.limits);
  configureDataKeys(readKeyring({ LIUZHUAN_DATA_KEYS: config.dataKeys }, config.dataDir));
  const engine = createEngine({ db: opened.db, events, validateTaskData: createTaskDataValidator() });
  const sessionCacheMs = config.sessionCacheMs ?? 5_000;
  const sessions = createSessionCache({ ttlMs: sessionCacheMs });
  const ctx: AppContext = {
    db: opened.db,
    events,
    engine,
    version: VERSION,
    userForToken: (token) => {
      const tokenHash = hashToken(token);
      return sessions.lookup(tokenHash, () => sessionOfTokenHash(opened.db, tokenHash));
    },
    identityChanged: () => sessions.invalidate(),
  };
  try {
    await bootstrapData(ctx, config);
  } catch (error) {
    if (!database) await opened.close();
    throw error;
  }

  // Said once per start, where an operator looks: nothing fails, the node slows down over weeks.
  for (const warning of await engine.databaseSettingWarnings()) log.warn({ component: 'postgres' }, warning);

  const http = createServer(createApp(ctx, config));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, resolve);
  });
  const port = (http.address() as AddressInfo).port;
  // After bootstrap: its migrations install the triggers that notify the channel (050).
  const identityListener = listenForIdentityChanges(sessions, opened.url, (err) => log.warn({ err }, 'session cache listener'));
  if (sessionCacheMs > 0) identityListener.start();
  // Every node runs an executor; they share the jobs table through SKIP LOCKED leases.
  const executor = engine.createJobExecutor({ leaseMs: config.jobLeaseMs, onError: (err, context) => log.warn({ err, ...context }, 'job executor') });
  executor.start();
  ctx.executor = executor;
  const realtime = attachRealtime(http, ctx, {
    databaseUrl: opened.url,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy !== false,
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await executor.stop();
      // Keep-alive clients that never send another request must not hold shutdown up
      // (io.close() below also waits for the HTTP server to close).
      http.closeIdleConnections();
      setTimeout(() => http.closeAllConnections(), 2_000).unref();
      // Sockets first: an open websocket would keep http.close() waiting forever.
      await realtime.close();
      // Stop accepting, let in-flight requests finish, then release the database.
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      });
      await identityListener.stop();
      if (!database) await opened.close();
    })());
  return { url: `http://127.0.0.1:${port}`, port, ctx, http, close };
}
