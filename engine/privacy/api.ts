/**
 * Personal data and the audit log as the engine offers them (`engine.privacy`, engine/engine.ts).
 * Admin checks are the routes' (server/routes/privacy.ts, audit.ts); unmask checks the caller's
 * rights itself (engine/access).
 */
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { auditCsv, parseAuditQuery, searchAudit } from '../audit/search.ts';
import { NotFoundError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { getRetention, setRetention } from './retention.ts';
import { eraseSubject, exportSubject, searchSubject } from './subjects.ts';
import { unmaskRecord } from './unmask.ts';

export function privacyApi(db: Knex, clock: () => Date) {
  return {
    unmask: (input: { user: AuthUser; formKey: string; id: string; body: unknown; ip?: string | null }) => unmaskRecord(db, input),
    searchSubject: (actor: AuthUser, body: unknown, ip?: string | null) => searchSubject(db, actor, body, ip),
    exportSubject: (actor: AuthUser, body: unknown, ip?: string | null) => exportSubject(db, actor, body, ip),
    eraseSubject: (actor: AuthUser, body: unknown, ip?: string | null) => eraseSubject(db, actor, body, ip),
    getRetention: async (formKey: string) => {
      await assertForm(db, formKey);
      return getRetention(db, formKey);
    },
    setRetention: (actor: AuthUser, formKey: string, body: unknown) => setRetention(db, actor, formKey, body, clock()),
    searchAudit: (params: Record<string, unknown>) => searchAudit(db, parseAuditQuery(params)),
    /** The CSV lines; the export is audited before the first line (with its filters). */
    exportAudit: async (actor: AuthUser, params: Record<string, unknown>, ip?: string | null) => {
      const query = parseAuditQuery(params);
      const { page: _page, pageSize: _size, ...filters } = query;
      await appendAudit(db, { actor, action: 'audit.export', subject: 'audit_log', details: { filters }, ip });
      return auditCsv(db, query);
    },
    /** For other features: one audit row (engine/audit/log.ts). */
    appendAudit: (entry: Parameters<typeof appendAudit>[1]) => appendAudit(db, entry),
  };
}

async function assertForm(db: Knex, formKey: string): Promise<void> {
  if (!(await db('forms').where({ key: formKey }).first('key'))) throw new NotFoundError(`No form "${formKey}"`);
}
