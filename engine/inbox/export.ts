/**
 * Export of the caller's 已办 (done) and 我发起的 (started) lists as .xlsx or CSV
 * (`GET /api/inbox/:box/export`): the rows the list shows them — the same box query, filters
 * and order (listInbox, page by page), so nobody exports a row their list would not show —
 * streamed to the response, at most MAX_TASK_EXPORT_ROWS. Headers and status words are in the
 * caller's language; times are written as the caller's wall clock (`timezoneOffset`, the
 * browser's getTimezoneOffset()), since a spreadsheet has no time zones.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { ValidationError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import type { BoxFilter, InboxItem } from '../store/inbox.ts';
import { listInbox } from './inbox.ts';
import type { SummaryEntry } from './summary.ts';

/** At most this many rows in one file: a bigger export is a narrower filter away. */
export const MAX_TASK_EXPORT_ROWS = 50_000;
const PAGE = 500;

export type TaskListFormat = 'xlsx' | 'csv';
export const EXPORTABLE_BOXES = ['done', 'started'] as const;

type Locale = 'zh-CN' | 'en';

const WORDS = {
  'zh-CN': {
    process: '流程', task: '任务', status: '流程状态', arrived: '到达时间', completed: '办理时间', started: '发起时间', ended: '结束时间',
    starter: '发起人', assignee: '处理人', businessKey: '业务编号', summary: '摘要', yes: '是', no: '否',
    statuses: { active: '进行中', completed: '已完成', terminated: '已终止', incident: '异常', withdrawn: '已撤回', deleted: '已删除' } as Record<string, string>,
    sheet: { done: '已办', started: '我发起的' },
  },
  en: {
    process: 'Process', task: 'Task', status: 'Process status', arrived: 'Arrived', completed: 'Done at', started: 'Started', ended: 'Ended',
    starter: 'Started by', assignee: 'Assignee', businessKey: 'Business key', summary: 'Summary', yes: 'Yes', no: 'No',
    statuses: { active: 'In progress', completed: 'Completed', terminated: 'Terminated', incident: 'Incident', withdrawn: 'Withdrawn', deleted: 'Deleted' } as Record<string, string>,
    sheet: { done: 'Done', started: 'Started by me' },
  },
};

export interface TaskExportStart {
  truncated: boolean;
  rows: number;
}

type Column = { header: string; width: number; time?: boolean; value: (row: ExportRow) => string | number | Date | null };

/** A row as the list answers it (with its summary; definitionId and variables are not in it). */
type ListedItem = Omit<InboxItem, 'definitionId' | 'variables'> & Pick<InboxItem, 'name' | 'instanceId' | 'definitionKey' | 'businessKey' | 'createdAt' | 'endedAt' | 'assignee'> & { summary: SummaryEntry[] };

interface ExportRow {
  item: ListedItem;
  process: string;
  status: string;
  starter: string;
  assignee: string;
}

function text(value: unknown, locale: Locale): string {
  if (value && typeof value === 'object') return String((value as Record<string, string>)[locale] ?? (value as Record<string, string>)['zh-CN'] ?? Object.values(value)[0] ?? '');
  return String(value ?? '');
}

/** The row's summary fields as one readable line: `客户: 华东 · 金额: 1200`. */
function summaryLine(summary: unknown, locale: Locale): string {
  if (!Array.isArray(summary)) return '';
  const words = WORDS[locale];
  return (summary as SummaryEntry[])
    .map((entry) => {
      const value = entry.option !== undefined ? text(entry.option, locale) : typeof entry.value === 'boolean' ? (entry.value ? words.yes : words.no) : String(entry.value);
      return `${text(entry.label, locale)}: ${value}`;
    })
    .join(' · ');
}

function columnsOf(box: (typeof EXPORTABLE_BOXES)[number], locale: Locale, wallClock: (iso: string | null) => Date | null): Column[] {
  const w = WORDS[locale];
  const summary: Column = { header: w.summary, width: 40, value: (r) => summaryLine(r.item.summary, locale) || r.item.businessKey || '' };
  if (box === 'done') {
    return [
      { header: w.process, width: 20, value: (r) => r.process },
      { header: w.task, width: 20, value: (r) => r.item.name ?? '' },
      { header: w.status, width: 12, value: (r) => r.status },
      { header: w.arrived, width: 20, time: true, value: (r) => wallClock(r.item.createdAt) },
      { header: w.completed, width: 20, time: true, value: (r) => wallClock(r.item.endedAt) },
      { header: w.starter, width: 16, value: (r) => r.starter },
      { header: w.assignee, width: 16, value: (r) => r.assignee },
      { header: w.businessKey, width: 20, value: (r) => r.item.businessKey ?? '' },
      summary,
    ];
  }
  return [
    { header: w.process, width: 20, value: (r) => r.process },
    { header: w.status, width: 12, value: (r) => r.status },
    { header: w.started, width: 20, time: true, value: (r) => wallClock(r.item.createdAt) },
    { header: w.ended, width: 20, time: true, value: (r) => wallClock(r.item.endedAt) },
    { header: w.businessKey, width: 20, value: (r) => r.item.businessKey ?? '' },
    summary,
  ];
}

/** Process names, instance statuses and people's names for one page, in three queries. */
async function describePage(db: Knex, items: ListedItem[], locale: Locale): Promise<ExportRow[]> {
  const keys = [...new Set(items.map((i) => i.definitionKey))];
  const instanceIds = [...new Set(items.map((i) => i.instanceId))];
  // The latest version's name, as the list shows it.
  const definitions: { key: string; name: string | null }[] = await db('process_definitions').distinctOn('key').whereIn('key', keys).orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]).select('key', 'name');
  const instances: { id: string; status: string; started_by: string | null }[] = await db('process_instances').whereIn('id', instanceIds).select('id', 'status', 'started_by');
  const instanceById = new Map(instances.map((i) => [i.id, i]));
  const usernames = [...new Set([...instances.map((i) => i.started_by), ...items.map((i) => i.assignee)].filter((u): u is string => !!u))];
  const users: { username: string; display_name: string }[] = usernames.length ? await db('users').whereIn('username', usernames).select('username', 'display_name') : [];
  const nameOf = new Map(users.map((u) => [u.username, u.display_name]));
  const person = (username: string | null | undefined) => (username ? (nameOf.get(username) ?? username) : '');
  const processOf = new Map(definitions.map((d) => [d.key, d.name || d.key]));
  return items.map((item) => {
    const instance = instanceById.get(item.instanceId);
    const status = String(item.status ?? instance?.status ?? '');
    return {
      item,
      process: processOf.get(item.definitionKey) ?? item.definitionKey,
      status: WORDS[locale].statuses[status] ?? status,
      starter: person(instance?.started_by),
      assignee: person(item.assignee),
    };
  });
}

function csvCell(value: string | number | Date | null): string {
  if (value === null) return '';
  let cell = value instanceof Date ? value.toISOString().slice(0, 19).replace('T', ' ') : String(value);
  // A cell a spreadsheet would run as a formula is quoted as text (as the record CSV export does).
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Writes and waits when the response's buffer is full, so a slow reader never makes it grow. */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

export async function exportInbox(
  db: Knex,
  user: AuthUser,
  box: string,
  filter: BoxFilter & { sort?: string },
  settings: { format: TaskListFormat; timezoneOffset: number; ip?: string | null },
  out: Writable,
  begin: (start: TaskExportStart) => void,
): Promise<void> {
  if (!(EXPORTABLE_BOXES as readonly string[]).includes(box)) {
    throw new ValidationError(`Only the done (已办) and started (我发起的) lists are exported, not "${box.slice(0, 40)}"`, [{ pointer: 'box', message: 'expected done or started' }]);
  }
  const exportable = box as (typeof EXPORTABLE_BOXES)[number];
  const locale: Locale = user.locale === 'en' ? 'en' : 'zh-CN';
  const wallClock = (iso: string | null) => (iso ? new Date(Date.parse(iso) - settings.timezoneOffset * 60_000) : null);
  const columns = columnsOf(exportable, locale, wallClock);
  const paging = (page: number) => ({ page, pageSize: PAGE, limit: PAGE, offset: (page - 1) * PAGE });
  // The first page is read before a byte is sent: a bad filter is still a JSON 422.
  let page = await listInbox(db, user, box, filter, paging(1));
  begin({ truncated: page.total > MAX_TASK_EXPORT_ROWS, rows: Math.min(page.total, MAX_TASK_EXPORT_ROWS) });

  const workbook = settings.format === 'xlsx' ? new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false }) : null;
  const sheet = workbook?.addWorksheet(WORDS[locale].sheet[exportable]);
  if (sheet) {
    sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
    sheet.getRow(1).font = { bold: true };
    columns.forEach((c, i) => {
      if (c.time) sheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd hh:mm';
    });
  } else {
    await write(out, `\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`);
  }
  let written = 0;
  for (let number = 1; page.items.length && written < MAX_TASK_EXPORT_ROWS; ) {
    const rows = await describePage(db, page.items as ListedItem[], locale);
    for (const row of rows) {
      if (written >= MAX_TASK_EXPORT_ROWS) break;
      const cells = columns.map((c) => c.value(row));
      if (sheet) sheet.addRow(cells).commit();
      else await write(out, `${cells.map(csvCell).join(',')}\r\n`);
      written += 1;
    }
    if (page.items.length < PAGE) break;
    number += 1;
    page = await listInbox(db, user, box, filter, paging(number));
  }
  // The list's summaries carry form data (customers, phone numbers): who took it away is
  // traced, before the file's end is sent, so no complete file leaves without its row.
  await appendAudit(db, {
    actor: user,
    action: 'task.export',
    subject: `${written} ${exportable === 'done' ? 'done tasks' : 'started processes'}`,
    details: { box: exportable, format: settings.format, rows: written, filter },
    ip: settings.ip ?? null,
  });
  if (sheet && workbook) {
    sheet.commit();
    await workbook.commit();
  } else {
    out.end();
  }
}
