/**
 * The audit log (migration 038): one append-only row per act the PIPL practice asks to trace —
 * reads of personal data in the clear (unmask), exports (records and task lists), imports,
 * erasures, permission/role/user changes, definition deploys. Callers pass the transaction the
 * act runs in, so the row commits (or not) with the act itself; a streamed export writes its row
 * before the file's end is sent.
 */
import type { Knex } from 'knex';
import type { AuthUser } from '../identity/types.ts';

export type AuditAction =
  | 'record.unmask'
  | 'record.export'
  | 'record.import'
  | 'task.export'
  | 'record.print'
  | 'permission.change'
  | 'role.change'
  | 'user.change'
  | 'department.change'
  | 'definition.deploy'
  | 'privacy.search'
  | 'privacy.export'
  | 'privacy.erase'
  | 'retention.change'
  | 'retention.run'
  | 'audit.export'
  | 'key.rotate'
  | (string & {});

export interface AuditEntry {
  /** Who acted; null for the system (a job, the retention run, a script). */
  actor: Pick<AuthUser, 'id' | 'username'> | null;
  action: AuditAction;
  formKey?: string | null;
  recordId?: string | null;
  /** A short human-readable object of the act (a username, a role code, "phone 138****0000"). */
  subject?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Details past this size are cut to a summary: one act must not write megabytes into the log. */
const MAX_DETAILS_CHARS = 64 * 1024;
const MAX_SUBJECT_CHARS = 500;

function boundedDetails(details: Record<string, unknown> | undefined): string {
  const text = JSON.stringify(details ?? {});
  if (text.length <= MAX_DETAILS_CHARS) return text;
  return JSON.stringify({ truncated: true, keys: Object.keys(details ?? {}).slice(0, 50), size: text.length });
}

export async function appendAudit(db: Knex, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_id: entry.actor?.id ?? null,
    actor: entry.actor?.username ?? 'system',
    action: entry.action,
    form_key: entry.formKey ?? null,
    record_id: entry.recordId ?? null,
    subject: entry.subject ? entry.subject.slice(0, MAX_SUBJECT_CHARS) : null,
    details: boundedDetails(entry.details),
    ip: entry.ip ?? null,
  });
}
