/**
 * Names for reads the engine runs on every command or request (a task command's lock, the
 * logged-in user, the latest definition of a key). Given a name, pg prepares the statement
 * once per connection and then only binds and executes it: PostgreSQL parsed, analysed and
 * planned these afresh on every call, about an eighth of its CPU per command.
 *
 * The name is derived from the text, as pg refuses one name for two texts. Such a statement
 * must list its columns: a prepared `SELECT *` fails once a migration adds a column
 * ("cached plan must not change result type"), which a rolling upgrade would do under it.
 */
import { createHash } from 'node:crypto';

export function preparedName(sql: string): string {
  return `lz_read_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
}
