/**
 * A record as the record pages need it: the data plus what the reader may do with it and,
 * for a flow record, where its process stands. `allowedActions` is derived from the same rules
 * the writes enforce (the permission groups of engine/access/, flowRecordGuard.ts), so the page
 * shows the edit, delete, print and unmask buttons exactly when the server would accept them;
 * the writes still check again (the instance may move on between the read and the click).
 * The data is shaped for the reader: fields they may not see are absent, personal ones masked.
 */
import type { Knex } from 'knex';
import type { AuthUser } from '../identity/types.ts';
import { formAccess, resolveRows, rightsOn, shapeRecord, type FormAccess, type RowRights } from '../access/index.ts';
import { listPrintTemplates } from '../store/templates.ts';
import { progressOfInstances, type InstanceProgress } from '../store/recordProcesses.ts';
import type { RecordView } from '../store/records.ts';
import { instanceRunning, mayTouchFlowRecord } from './flowRecordGuard.ts';
import { listRecords, readRecord } from './records.ts';

export type RecordAction = 'edit' | 'delete' | 'print' | 'unmask';

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

function allowedActions(record: RecordView, process: RecordProcess | null, user: AuthUser | undefined, rights: RowRights | undefined): RecordAction[] {
  if (!user || !rights) return [];
  const actions: RecordAction[] = [];
  const changeable = mayTouchFlowRecord(record, user) && !(process && instanceRunning(process.status));
  if (changeable && rights.actions.has('edit')) actions.push('edit');
  if (changeable && rights.actions.has('delete')) actions.push('delete');
  if (rights.actions.has('print')) actions.push('print');
  if (rights.actions.has('unmask')) actions.push('unmask');
  return actions;
}

/** The records with their process and the reader's actions, the data shaped for the reader. */
export async function withFacts(db: Knex, records: RecordView[], user: AuthUser | undefined, access?: FormAccess): Promise<RecordEntry[]> {
  const ids = [...new Set(records.map((record) => record.instanceId).filter((id): id is string => Boolean(id)))];
  const progress = await progressOfInstances(db, ids);
  const rights = user && records.length ? (access ?? (await formAccess(db, user, records[0]!.formKey))) : undefined;
  if (rights) await resolveRows(db, rights, records);
  return records.map((record) => {
    const process = processOf(record, record.instanceId ? progress.get(record.instanceId) : undefined);
    const shaped = rights ? shapeRecord(rights, record) : record;
    return { ...shaped, process, allowedActions: allowedActions(record, process, user, rights && rightsOn(rights, record)) };
  });
}

/** One record for the record page (404 as `readRecord` with a reader). */
export async function recordDetail(db: Knex, formKey: string, id: string, reader: AuthUser): Promise<RecordDetail> {
  const access = await formAccess(db, reader, formKey);
  const record = await readRecord(db, formKey, id, reader, access);
  const [entry] = await withFacts(db, [record], reader, access);
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
  const access = reader ? await formAccess(db, reader, formKey) : undefined;
  const page = await listRecords(db, formKey, params, reader, access);
  return { items: await withFacts(db, page.items, reader, access), total: page.total };
}
