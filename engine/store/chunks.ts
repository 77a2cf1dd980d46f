/**
 * PostgreSQL's wire protocol counts a statement's bind parameters in 16 bits: one INSERT with
 * more than 65,535 of them fails ("bind message has 24482 parameter formats …"). A legal step
 * can write that many (a thousand-way multi-instance writes thousands of history rows), so
 * multi-row writes go in chunks.
 *
 * The chunks are much smaller than that limit: a statement is compiled (knex) and rendered
 * (db/writeBatch.ts) in one piece on the event loop, and a 4,600-row INSERT of tasks took a
 * few hundred milliseconds of it under load; the flush lets waiting requests run between
 * statements. 2,000 parameters (150 task rows, 220 history rows) take a few milliseconds, and
 * the few shapes repeat, so the write batch prepares each once.
 */
const MAX_PARAMETERS = 2_000;

/** `rows` split into chunks of at most MAX_PARAMETERS / `parametersPerRow` rows. */
export function chunked<T>(rows: T[], parametersPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / parametersPerRow));
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}

/** Inserts `rows` (objects of one shape) with `insert`, one statement per chunk. */
export async function insertChunked(
  insert: (chunk: Record<string, unknown>[]) => Promise<unknown>,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunked(rows, Object.keys(rows[0]!).length)) await insert(chunk);
}
