/** `page` / `pageSize` query parameters shared by list endpoints (inbox boxes, queues). */
import { ValidationError } from '../errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Paging {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
}

function positiveInt(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw new ValidationError(`"${name}" must be a whole number from 1 to ${max}`, [
      { pointer: name, message: `expected 1..${max}` },
    ]);
  }
  return parsed;
}

export function parsePaging(page: string | undefined, pageSize: string | undefined): Paging {
  const size = positiveInt(pageSize, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  // Beyond ~1M rows offset paging is the wrong tool anyway; the cap keeps OFFSET bounded.
  const number = positiveInt(page, 'page', 1, Math.floor(1_000_000 / size));
  return { page: number, pageSize: size, limit: size, offset: (number - 1) * size };
}
