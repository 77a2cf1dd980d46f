/**
 * Sends a command's writes to PostgreSQL in one round trip. A unit of work flushes many small
 * statements (the instance row, tasks, history, waits, the features' rows); each awaited on its
 * own costs a round trip, and at one client the engine spent most of its time waiting on them.
 *
 * `batchWrites(trx)` gives a `Db` that looks like `trx`. An awaited INSERT, UPDATE or DELETE
 * whose result nobody can use (no RETURNING) is not sent: it is compiled and queued, and the
 * await resolves at once. Anything else awaited through it — a read, a write with RETURNING, a
 * raw statement that is not a plain write — first sends the queue, then runs, so every
 * statement still sees the ones before it, in order. `send()` sends what is left.
 *
 * The queue goes as ONE simple-protocol query, the statements joined by `;` (PostgreSQL runs
 * them in order and stops at the first error, which the command's transaction then rolls
 * back). The simple protocol has no parameters, so each `$n` becomes a literal of the very text
 * pg would have sent as that parameter (`prepareValue`), untyped like a parameter is, written
 * as an escaped string constant; a value pg would send as binary (a Buffer) sends the queue and
 * runs on its own instead.
 *
 * Callers of such writes must not use their results (row counts): the engine's flush writes
 * never do, and a write that needs its count must ask for RETURNING.
 *
 * A batch may be large (a command that opens ten thousand tasks queues hundreds of chunked
 * INSERTs, store/chunks.ts): compiling its statements and rendering its text in one piece held
 * the event loop for seconds. Whenever the batch has held the loop for YIELD_AFTER_MS (loopHeld.ts) it lets waiting
 * requests run (setImmediate) before it compiles or renders the next statement. A batch of more
 * than QUERY_CHARS of text goes as several queries, one after another in the same transaction;
 * a command's usual batch (kilobytes) is still one query, one round trip.
 */
import type { Knex } from 'knex';
import pg from 'pg';
import { yieldLoopIfHeld } from '../loopHeld.ts';
import type { Db } from './connection.ts';

interface Native {
  sql: string;
  bindings: readonly unknown[];
}

export interface WriteBatch {
  /** Use this instead of the transaction while batching. */
  readonly db: Db;
  /** Sends the queued writes (one round trip), if any. */
  send(): Promise<void>;
  /** Lets waiting requests run if the loop has been held for YIELD_AFTER_MS (between the flush's parts). */
  letOthersRun(): Promise<void>;
}

const WRITE_METHODS = new Set(['insert', 'update', 'del', 'delete']);
const WRITE = /^(insert|update|delete)\b/i;
const RETURNING = /\breturning\b/i;

/**
 * The statement a raw SQL text ends in: itself, or for `WITH a AS (…), b AS (…) <main>` the
 * main one (the first keyword at parenthesis depth 0 after a closing parenthesis; string
 * constants skipped). Data-modifying parts inside the WITH run whatever their RETURNING says.
 */
export function mainStatement(text: string): string {
  const trimmed = text.trim();
  if (!/^with\b/i.test(trimmed)) return trimmed;
  let depth = 0;
  let closed = false;
  for (let i = 0; i < trimmed.length; i += 1) {
    const char = trimmed[i];
    if (char === "'") {
      const end = trimmed.indexOf("'", i + 1);
      if (end < 0) return trimmed;
      i = end;
    } else if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      closed = depth === 0;
    } else if (depth === 0 && closed && /[a-z]/i.test(char!) && /^(select|insert|update|delete|values|table)\b/i.test(trimmed.slice(i))) {
      return trimmed.slice(i);
    }
  }
  return trimmed;
}

/** `SELECT pg_notify(…)` (maybe with a WHERE): a notification, delivered at commit; its result says nothing. */
const NOTIFY = /^select\s+pg_notify\s*\(/i;

/**
 * A raw statement whose result nobody can use: an INSERT, UPDATE or DELETE (maybe after a
 * WITH) with no RETURNING of its own, or a notification.
 */
export function isPlainWrite(text: string): boolean {
  const main = mainStatement(text);
  return (WRITE.test(main) && !RETURNING.test(main)) || NOTIFY.test(main);
}

/**
 * A string constant PostgreSQL reads back as exactly `text`: E'…' with backslashes and quotes
 * escaped and every `?` written as `\x3f` — knex turns a bare `?` in a raw query into a
 * placeholder, so none may reach it.
 */
function literal(text: string): string {
  // One pass, and none for the common text with nothing to escape: a command's state document
  // runs to megabytes (ten thousand tokens), and three passes over it took 100 ms under load.
  return `E'${SPECIAL.test(text) ? text.replace(SPECIALS, escapeSpecial) : text}'`;
}

const SPECIAL = /[\\'?]/;
const SPECIALS = /[\\'?]/g;
const escapeSpecial = (char: string) => (char === '\\' ? '\\\\' : char === "'" ? "''" : '\\x3f');

/** pg's own conversion of a parameter to the text it sends (pg/lib/utils.js, on the default export). */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

/** Each parameter as the literal pg would have sent, or undefined when one must go as binary (a Buffer). */
function literals(bindings: readonly unknown[]): string[] | undefined {
  const values: string[] = [];
  for (const binding of bindings) {
    const prepared = prepareValue(binding);
    if (prepared === null || prepared === undefined) values.push('NULL');
    else if (typeof prepared === 'string' || typeof prepared === 'number') values.push(literal(String(prepared)));
    else return undefined;
  }
  return values;
}

/** The highest `$n` a statement uses (0 for none). */
function parameterCount(sql: string): number {
  let highest = 0;
  for (const match of sql.matchAll(/\$(\d+)/g)) highest = Math.max(highest, Number(match[1]));
  return highest;
}

/** A write ready to send: its text with `$n` placeholders and each parameter as a literal. */
interface Queued {
  sql: string;
  values: string[];
  parameters: number;
}

/** The statement ready to queue, or undefined when it must run on its own. */
function queueable(native: Native): Queued | undefined {
  // A `?` left in the text was an escaped one (an operator): knex would read it as a placeholder.
  if (native.sql.includes('?')) return undefined;
  const values = literals(native.bindings);
  const parameters = parameterCount(native.sql);
  return values && parameters <= values.length ? { sql: native.sql, values, parameters } : undefined;
}

function substitute(queued: Queued): string {
  return queued.sql.replace(/\$(\d+)/g, (_match, index: string) => queued.values[Number(index) - 1]!);
}

/** The statement with its parameters inlined, or undefined when it must run on its own. */
export function inline(native: Native): string | undefined {
  const queued = queueable(native);
  return queued && substitute(queued);
}

/**
 * Statements prepared on one connection (PREPARE is per session). PostgreSQL parses, analyses
 * and plans every statement of a simple query afresh — a third of its CPU per command went
 * there — so a write the connection has seen is sent as `EXECUTE name(literals)`, its text
 * prepared once, in the batch that first uses it. A PREPARE survives a rollback, but in a batch
 * that fails PostgreSQL stops at the error, so whether a later PREPARE ran is unknown: names
 * become known only when their batch succeeded, and never repeat (a counter), so a name from
 * a failed batch is never reused. A write has no result columns, so a column added by a
 * migration meanwhile only makes PostgreSQL plan it again.
 */
interface PreparedStatements {
  known: Map<string, string>;
  next: number;
}

/** Distinct statements prepared per connection at most; past it, they are inlined as before. */
const MAX_PREPARED = 500;
const preparedByConnection = new WeakMap<object, PreparedStatements>();

/** The connection a knex transaction holds (its client hands out only that one), else undefined. */
async function connectionOf(trx: Db): Promise<object | undefined> {
  const client = (trx as unknown as { client?: { transacting?: boolean; acquireConnection?: () => Promise<object> } }).client;
  if (!client?.transacting || !client.acquireConnection) return undefined;
  return client.acquireConnection();
}

/** The text of one queued write: `[PREPARE …;] EXECUTE …` on a known connection, else inlined. */
function render(queued: Queued, prepared: PreparedStatements | undefined, pending: Map<string, string>): string {
  if (!prepared) return substitute(queued);
  let name = prepared.known.get(queued.sql) ?? pending.get(queued.sql);
  let prepare = '';
  if (!name) {
    if (prepared.known.size + pending.size >= MAX_PREPARED) return substitute(queued);
    name = `lz_write_${prepared.next++}`;
    pending.set(queued.sql, name);
    prepare = `PREPARE ${name} AS ${queued.sql};\n`;
  }
  // EXECUTE takes exactly the statement's parameters; knex may bind more than the text uses.
  const used = queued.values.slice(0, queued.parameters);
  return `${prepare}EXECUTE ${name}${used.length > 0 ? `(${used.join(', ')})` : ''}`;
}

function isQueryBuilder(value: unknown): value is Knex.QueryBuilder & { _method?: string; _single?: { returning?: unknown } } {
  return typeof value === 'object' && value !== null && typeof (value as { toSQL?: unknown }).toSQL === 'function' && '_method' in value;
}

function deferrableBuilder(builder: Knex.QueryBuilder & { _method?: string; _single?: { returning?: unknown } }): boolean {
  return WRITE_METHODS.has(builder._method ?? '') && builder._single?.returning === undefined;
}

/** Characters of statement text per query: larger batches go as several queries, one after another in the transaction. */
export const QUERY_CHARS = 1_000_000;

export function batchWrites(trx: Db): WriteBatch {
  let queue: Queued[] = [];

  async function send(): Promise<void> {
    if (queue.length === 0) return;
    const queued = queue;
    queue = [];
    const connection = await connectionOf(trx);
    let prepared = connection ? preparedByConnection.get(connection) : undefined;
    if (connection && !prepared) preparedByConnection.set(connection, (prepared = { known: new Map(), next: 1 }));
    const pending = new Map<string, string>();
    // The text in queries of about QUERY_CHARS (a statement longer than that goes alone): pg
    // copies a query's text into one buffer in one piece, 150–350 ms for the ten megabytes of a
    // ten-thousand-task flush under load. A command's usual batch is a few kilobytes: one query.
    const queries: string[] = [];
    let parts: string[] = [];
    let size = 0;
    for (const write of queued) {
      await yieldLoopIfHeld();
      const part = render(write, prepared, pending);
      if (size > 0 && size + part.length > QUERY_CHARS) {
        queries.push(parts.join(';\n'));
        parts = [];
        size = 0;
      }
      parts.push(part);
      size += part.length + 2;
    }
    queries.push(parts.join(';\n'));
    for (const text of queries) {
      await yieldLoopIfHeld();
      try {
        await trx.raw(text);
      } catch (error) {
        // knex prefixes the statement to the message: here that is every value written (form data
        // included), which has no place in a log. PostgreSQL's own message and code stay.
        const failed = error as { message?: string };
        if (failed.message?.startsWith(text)) failed.message = failed.message.slice(text.length).replace(/^ - /, '');
        throw error;
      }
    }
    // Only once every query succeeded: a name prepared by a query before a failed one is never used again.
    for (const [sql, name] of pending) prepared!.known.set(sql, name);
  }

  /** Makes awaiting `query` queue it (a deferrable write) or send the queue first and run it. */
  function intercept<T extends object>(query: T, deferrable: () => boolean): T {
    const run = (query as unknown as PromiseLike<unknown>).then.bind(query);
    Object.defineProperty(query, 'then', {
      configurable: true,
      value(resolve?: (value: unknown) => unknown, reject?: (error: unknown) => unknown) {
        const attempt = async (): Promise<unknown> => {
          if (deferrable()) {
            await yieldLoopIfHeld();
            const write = queueable((query as unknown as { toSQL(): { toNative(): Native } }).toSQL().toNative());
            if (write) {
              queue.push(write);
              return undefined;
            }
          }
          await send();
          return new Promise((done, fail) => run(done, fail));
        };
        return attempt().then(resolve, reject);
      },
    });
    return query;
  }

  const raw = (...args: Parameters<Knex['raw']>) => {
    const statement = trx.raw(...args);
    return intercept(statement, () => isPlainWrite(statement.toSQL().sql));
  };

  const db = new Proxy(trx, {
    apply(target, thisArg, args) {
      const builder = Reflect.apply(target, thisArg, args) as unknown;
      return isQueryBuilder(builder) ? intercept(builder, () => deferrableBuilder(builder)) : builder;
    },
    get(target, property, receiver) {
      if (property === 'raw') return raw;
      // A savepoint must come after the writes queued before it (a rollback to it keeps them).
      if (property === 'transaction') {
        return async (...args: unknown[]) => {
          await send();
          return (target.transaction as (...inner: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  }) as Db;

  return { db, send, letOthersRun: () => yieldLoopIfHeld() };
}
