/** Configuration comes from the environment only; README lists every variable. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  adminPassword?: string;
  /** Loads the template app and demo users at start. */
  loadTemplates: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a TCP port number, got "${env.PORT}"`);
  }
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.LIUZHUAN_DATA_DIR || path.join(projectRoot, '.data')),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    loadTemplates: env.LIUZHUAN_LOAD_TEMPLATES !== 'false',
  };
}
