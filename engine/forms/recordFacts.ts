/**
 * A record as the record pages need it: the data plus what the reader may do with it and,
 * for a flow record, where its process stands. `allowedActions` is derived from the same rules
 * the writes enforce (records.ts `creatorOrAdmin`, flowRecordGuard.ts), so the page shows the
 * edit and delete buttons exactly when the server would accept them; the writes still check
 * again (the instance may move on between the read and the click).
 */
import type { Knex } from 'knex';
import type { AuthUser } from '../identity/types.ts';
import { listPrintTemplates } from '../store/templates.ts';
import { progressOfInstances, type InstanceProgress } from '../store/recordProcesses.ts';
import type { RecordView } from '../store/records.ts';
import { instanceRunning, mayTouchFlowRecord } from './flowRecordGuard.ts';
import { creatorOrAdmin, listRecords, readRecord } from './records.ts';

export type RecordAction = 'edit' | 'delete';

export interface RecordProcess {
  instanceId: string;
  definitionKey: string | null;
  /** The instance's status, `withdrawn` for one its starter took back, `deleted` when the instance is gone. */
  status: 'active' | 'completed' | 'terminated' | 'incident' | 'withdrawn' | 'deleted';
  /** Where a running instance waits: the nodes of its open tasks. */
  currentNodes: { id: string; name: string | null }[];
}

export interface RecordEntry extends RecordView {
  process: RecordProcess | null;
  allowedActions: RecordAction[];
}

export interface RecordDetail extends RecordEntry {
  /** The form's print templates (key and title); printing without one uses the built-in layout. */
  printTemplates: { key: string; title: string }[];
}

function processOf(record: RecordView, progress: InstanceProgress | undefined): RecordProcess | null {
  if (!record.instanceId) return null;
  if (!progress) return { instanceId: record.instanceId, definitionKey: null, status: 'deleted', currentNodes: [] };
  const withdrawn = progress.status === 'terminated' && progress.withdrawn;
  return {
    instanceId: record.instanceId,
    definitionKey: progress.definitionKey,
    status: withdrawn ? 'withdrawn' : progress.status,
    currentNodes: instanceRunning(progress.status) ? progress.openNodes : [],
  };
}

function allowedActions(record: RecordView, process: RecordProcess | null, user: AuthUser | undefined): RecordAction[] {
  if (!user || !creatorOrAdmin(record, user)) return [];
  if (!mayTouchFlowRecord(record, user)) return [];
  if (process && instanceRunning(process.status)) return [];
  return ['edit', 'delete'];
}

export async function withFacts(db: Knex, records: RecordView[], user: AuthUser | undefined): Promise<RecordEntry[]> {
  const ids = [...new Set(records.map((record) => record.instanceId).filter((id): id is string => Boolean(id)))];
  const progress = await progressOfInstances(db, ids);
  return records.map((record) => {
    const process = processOf(record, record.instanceId ? progress.get(record.instanceId) : undefined);
    return { ...record, process, allowedActions: allowedActions(record, process, user) };
  });
}

/** One record for the record page (404 as `readRecord` with a reader). */
export async function recordDetail(db: Knex, formKey: string, id: string, reader: AuthUser): Promise<RecordDetail> {
  const record = await readRecord(db, formKey, id, reader);
  const [entry] = await withFacts(db, [record], reader);
  const templates = await listPrintTemplates(db, formKey);
  return { ...entry!, printTemplates: templates.map((template) => ({ key: template.key, title: template.title })) };
}

/** A page of records, each with its process and the reader's allowed actions. */
export async function listRecordEntries(
  db: Knex,
  formKey: string,
  params: Iterable<[string, string]>,
  reader?: AuthUser,
): Promise<{ items: RecordEntry[]; total: number }> {
  const page = await listRecords(db, formKey, params, reader);
  return { items: await withFacts(db, page.items, reader), total: page.total };
}
