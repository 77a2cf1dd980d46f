/** What every command's action starts from: the global options resolved. */
import type { Command } from 'commander';
import { createClient, type Client } from './client.ts';
import { serverUrl } from './credentials.ts';
import type { Io } from './io.ts';

export interface Run {
  io: Io;
  json: boolean;
  server: string;
  /** A client carrying the token (exit 4 when there is none). */
  client(): Client;
}

export function runOf(io: Io, command: Command): Run {
  const globals = command.optsWithGlobals<{ server?: string; json?: boolean }>();
  const server = serverUrl(io, globals.server);
  return { io, json: Boolean(globals.json), server, client: () => createClient(io, server) };
}

/** A date for a table cell, in the terminal's time zone, minutes precision. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Columns padded to their widest cell (CJK characters count double, as terminals draw them). */
export function table(headers: string[], rows: string[][]): string {
  const width = (text: string) => [...text].reduce((sum, ch) => sum + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => width(row[i] ?? ''))));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell)))).join('  ').trimEnd()).join('\n');
}
