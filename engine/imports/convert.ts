/**
 * Turns a row's cells into record data, field by field (fieldTargets.ts says each field's
 * kind): dates from date cells, Excel serial numbers and text (`2026-03-01`, `2026/3/1`,
 * `2026年3月1日`, with a time for date-time fields, read in the uploader's time zone);
 * numbers from money text (`¥1,234.50`, `1,234元`); yes/no words; options by value or by a
 * label in any language; members by username or display name; departments by code or name.
 * A cell that cannot be read is a row error naming the column; whether the data is then
 * valid is the form's validator's to say (pipeline.ts).
 */
import type { Knex } from 'knex';
import type { FieldTarget } from './fieldTargets.ts';
import type { CellValue, RowError } from './types.ts';

export interface Directory {
  /** username → username, and display name → username(s). */
  users: Map<string, string[]>;
  /** code → code, and name (zh/en) → code(s). */
  departments: Map<string, string[]>;
}

const key = (text: string) => text.trim().toLocaleLowerCase();

function addName(map: Map<string, string[]>, name: string | null | undefined, value: string): void {
  if (!name) return;
  const list = map.get(key(name)) ?? [];
  if (!list.includes(value)) list.push(value);
  map.set(key(name), list);
}

/** Users and departments by every name a sheet may use for them (loaded once per import). */
export async function loadDirectory(db: Knex): Promise<Directory> {
  const users: { username: string; display_name: string }[] = await db('users').select('username', 'display_name');
  const departments: { code: string; name: string; name_en: string | null }[] = await db('departments').select('code', 'name', 'name_en');
  const directory: Directory = { users: new Map(), departments: new Map() };
  // Exact keys first: a username that is also someone's display name means that user.
  for (const u of users) directory.users.set(key(u.username), [u.username]);
  const usernames = new Set(users.map((u) => key(u.username)));
  for (const u of users) if (!usernames.has(key(u.display_name))) addName(directory.users, u.display_name, u.username);
  for (const d of departments) directory.departments.set(key(d.code), [d.code]);
  const codes = new Set(departments.map((d) => key(d.code)));
  for (const d of departments) {
    for (const name of [d.name, d.name_en]) if (name && !codes.has(key(name))) addName(directory.departments, name, d.code);
  }
  return directory;
}

export interface ConvertContext {
  directory: Directory;
  /** Minutes to add to a wall-clock time to get UTC (JavaScript's getTimezoneOffset of the uploader). */
  timezoneOffset: number;
  en: boolean;
}

class CellError extends Error {}

const pad = (n: number) => String(n).padStart(2, '0');

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included). */
function fromSerial(serial: number): { day: string; time: string } {
  const ms = Math.round((serial - 25569) * 86_400_000);
  const d = new Date(ms);
  return { day: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` };
}

const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}(?:\.\d+)?))?秒?)?$/;

function validDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** `{ day, time }` of a cell, or a CellError. */
function readDate(cell: CellValue, ctx: ConvertContext): { day: string; time: string | null; zoned?: string } {
  if (typeof cell === 'number' && cell > 0 && cell < 2_958_466) {
    const { day, time } = fromSerial(cell);
    return { day, time };
  }
  const text = String(cell).trim();
  // Full ISO with a zone: a point in time already.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
    return { day: text.slice(0, 10), time: null, zoned: new Date(text).toISOString() };
  }
  const match = DATE_TEXT.exec(text);
  if (match) {
    const [, y, m, d, hh, mm, ss] = match;
    if (validDay(Number(y), Number(m), Number(d))) {
      const day = `${y}-${pad(Number(m))}-${pad(Number(d))}`;
      const time = hh !== undefined ? `${pad(Number(hh))}:${pad(Number(mm))}:${pad(Math.floor(Number(ss ?? 0)))}` : null;
      return { day, time };
    }
  }
  throw new CellError(ctx.en ? `"${text}" is not a date` : `「${text}」不是日期`);
}

function toDateTime(cell: CellValue, ctx: ConvertContext): string {
  const { day, time, zoned } = readDate(cell, ctx);
  if (zoned) return zoned;
  const wallClock = Date.parse(`${day}T${time ?? '00:00:00'}Z`);
  return new Date(wallClock + ctx.timezoneOffset * 60_000).toISOString();
}

function toNumber(cell: CellValue, ctx: ConvertContext): number {
  if (typeof cell === 'number') return cell;
  const text = String(cell).trim();
  const cleaned = text.replace(/[,，\s¥￥$€]|元|RMB|CNY/gi, '');
  const percent = cleaned.endsWith('%');
  const number = Number(percent ? cleaned.slice(0, -1) : cleaned);
  if (cleaned === '' || !Number.isFinite(number)) throw new CellError(ctx.en ? `"${text}" is not a number` : `「${text}」不是数字`);
  return percent ? number / 100 : number;
}

const YES = new Set(['true', 'yes', 'y', '1', '是', '对', '√', '✓', 'x']);
const NO = new Set(['false', 'no', 'n', '0', '否', '不', '×', '✗']);

function toBoolean(cell: CellValue, ctx: ConvertContext): boolean {
  if (typeof cell === 'boolean') return cell;
  const text = key(String(cell));
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  throw new CellError(ctx.en ? `"${cell}" is not yes or no` : `「${cell}」不是“是/否”`);
}

/** Several values in one cell: separated by commas, 、 or semicolons. */
function split(cell: CellValue): string[] {
  return String(cell).split(/[,，、;；\n]/).map((part) => part.trim()).filter(Boolean);
}

function toOption(word: string, target: FieldTarget, ctx: ConvertContext): string | number | boolean {
  const wanted = key(word);
  const option = target.options!.find((o) => key(String(o.value)) === wanted) ?? target.options!.find((o) => o.labels.some((label) => key(label) === wanted));
  if (!option) {
    const choices = target.options!.map((o) => o.byLocale[ctx.en ? 'en' : 'zh-CN'] ?? o.labels[0] ?? String(o.value)).join(ctx.en ? ', ' : '、');
    throw new CellError(ctx.en ? `"${word}" is not one of ${choices}` : `「${word}」不是可选项（${choices}）`);
  }
  return option.value;
}

function lookUp(map: Map<string, string[]>, word: string, what: 'member' | 'department', ctx: ConvertContext): string {
  const found = map.get(key(word)) ?? [];
  if (found.length === 1) return found[0]!;
  const noun = ctx.en ? what : what === 'member' ? '成员' : '部门';
  if (found.length > 1) throw new CellError(ctx.en ? `"${word}" names several ${noun}s (${found.join(', ')}): use the ${what === 'member' ? 'username' : 'code'}` : `「${word}」对应多个${noun}（${found.join('、')}），请填写${what === 'member' ? '用户名' : '部门编码'}`);
  throw new CellError(ctx.en ? `no ${noun} "${word}"` : `没有${noun}「${word}」`);
}

function convertCell(cell: CellValue, target: FieldTarget, ctx: ConvertContext): unknown {
  switch (target.kind) {
    case 'text':
      return typeof cell === 'string' ? cell.trim() : String(cell);
    case 'date':
      return readDate(cell, ctx).day;
    case 'dateTime':
      return toDateTime(cell, ctx);
    case 'number':
    case 'integer':
      return toNumber(cell, ctx);
    case 'boolean':
      return toBoolean(cell, ctx);
    case 'choice':
      return typeof cell === 'string' ? toOption(cell.trim(), target, ctx) : toOption(String(cell), target, ctx);
    case 'choices':
      return split(cell).map((word) => toOption(word, target, ctx));
    case 'member':
      return lookUp(ctx.directory.users, String(cell), 'member', ctx);
    case 'members':
      return split(cell).map((word) => lookUp(ctx.directory.users, word, 'member', ctx));
    case 'department':
      return lookUp(ctx.directory.departments, String(cell), 'department', ctx);
    case 'departments':
      return split(cell).map((word) => lookUp(ctx.directory.departments, word, 'department', ctx));
    case 'texts':
      return split(cell);
  }
}

/** The row's data by the mapping, and an error per cell that could not be read. */
export function convertRow(
  cells: CellValue[],
  mapping: (string | null)[],
  targets: Map<string, FieldTarget>,
  ctx: ConvertContext,
): { data: Record<string, unknown>; errors: RowError[] } {
  const data: Record<string, unknown> = {};
  const errors: RowError[] = [];
  mapping.forEach((field, column) => {
    if (!field) return;
    const target = targets.get(field);
    const cell = cells[column] ?? null;
    if (!target || cell === null || (typeof cell === 'string' && cell.trim() === '')) return;
    try {
      data[field] = convertCell(cell, target, ctx);
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      errors.push({ field, column, message: error.message });
    }
  });
  return { data, errors };
}
