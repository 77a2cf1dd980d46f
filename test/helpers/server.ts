/** A real Liuzhuan server on a random port over this file's own database. */
import { afterAll, beforeAll } from 'vitest';
import { connect, type ConnectOptions } from '../../engine/db/connection.ts';
import { readConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { createTestDatabase } from './database.ts';
import { TEST_ADMIN_PASSWORD } from './testAdmin.ts';

export { TEST_ADMIN_PASSWORD };

export interface TestServer {
  server: RunningServer;
  url: string;
  /** The file's database (what the server's pool connects to). */
  databaseUrl: string;
  /** JSON request helper; returns status and parsed body. */
  request(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  login(username: string, password: string): Promise<string>;
}

/** `pool`: the server's connection pool (e.g. a pool of 1, to find code that needs a second connection). */
export function useTestServer(env: Record<string, string> = {}, pool: ConnectOptions = {}): TestServer {
  const holder = {} as TestServer;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    // The template app as a first start installs it, copied instead of installed again (globalSetup
    // made it once); a generated demo still needs the server's own first start.
    const withTemplateApp = env.LIUZHUAN_LOAD_TEMPLATES === 'true' && (env.LIUZHUAN_DEMO_CUSTOMERS ?? '0') === '0';
    const database = await createTestDatabase({ withTemplateApp });
    drop = database.drop;
    const config = {
      // No generated demo unless a test asks (LIUZHUAN_DEMO_CUSTOMERS): template tests expect the hand-written records.
      ...readConfig({ PORT: '0', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LIUZHUAN_LOAD_TEMPLATES: 'false', LIUZHUAN_DEMO_CUSTOMERS: '0', ...env }),
      databaseUrl: database.url,
    };
    const server = await startServer(config, {
      db: connect(database.url, pool),
      url: database.url,
      embedded: false,
      close: async () => {},
    });
    // Client and server share this process's event loop: a test that blocks it for seconds (compiling
    // every OpenAPI schema) lets the server's 5 s keep-alive timer and the client's reuse of that idle
    // socket race once it unblocks, and the request dies with ECONNRESET. A real client on another
    // machine has its own clock; here the server keeps idle sockets longer than any such block.
    server.http.keepAliveTimeout = 120_000;
    holder.server = server;
    holder.url = server.url;
    holder.databaseUrl = database.url;
  });
  afterAll(async () => {
    await holder.server?.close();
    await holder.server?.ctx.db.destroy();
    await drop?.();
  });
  holder.request = async (method, path, options = {}) => {
    const response = await fetch(`${holder.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // keep text
    }
    return { status: response.status, body };
  };
  holder.login = async (username, password) => {
    const { status, body } = await holder.request('POST', '/api/auth/login', { body: { username, password } });
    if (status !== 200) throw new Error(`login ${username} failed: ${status} ${JSON.stringify(body)}`);
    return body.token as string;
  };
  return holder;
}
