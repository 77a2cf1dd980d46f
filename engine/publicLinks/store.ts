/** Queries on `public_links` and `public_link_answers` (migration 036): the feature's whole SQL vocabulary. */
import type { Db } from '../db/connection.ts';

export type PublicLinkKind = 'form' | 'start' | 'instance';

export interface PublicLinkRow {
  id: string;
  token: string;
  kind: PublicLinkKind;
  formKey: string;
  processKey: string | null;
  instanceId: string | null;
  elementId: string | null;
  messageName: string | null;
  businessKey: string | null;
  title: string | null;
  expiresAt: Date | null;
  maxUses: number | null;
  useCount: number;
  channel: Record<string, string>;
  /** Field values the link fixes; shown read-only, they win over the answer. */
  prefill: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export type NewPublicLink = Omit<PublicLinkRow, 'useCount' | 'createdAt' | 'revokedAt'> & { createdAt?: Date };

function toRow(row: any): PublicLinkRow {
  return {
    id: row.id,
    token: row.token,
    kind: row.kind,
    formKey: row.form_key,
    processKey: row.process_key,
    instanceId: row.instance_id,
    elementId: row.element_id,
    messageName: row.message_name,
    businessKey: row.business_key,
    title: row.title,
    expiresAt: row.expires_at,
    maxUses: row.max_uses,
    useCount: row.use_count,
    channel: row.channel ?? {},
    prefill: row.prefill ?? {},
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function toColumns(link: NewPublicLink) {
  return {
    id: link.id,
    token: link.token,
    kind: link.kind,
    form_key: link.formKey,
    process_key: link.processKey,
    instance_id: link.instanceId,
    element_id: link.elementId,
    message_name: link.messageName,
    business_key: link.businessKey,
    title: link.title,
    expires_at: link.expiresAt,
    max_uses: link.maxUses,
    channel: JSON.stringify(link.channel),
    prefill: JSON.stringify(link.prefill),
    created_by: link.createdBy,
    ...(link.createdAt ? { created_at: link.createdAt } : {}),
  };
}

export async function insertPublicLinks(db: Db, links: NewPublicLink[]): Promise<PublicLinkRow[]> {
  if (links.length === 0) return [];
  return (await db('public_links').insert(links.map(toColumns)).returning('*')).map(toRow);
}

export async function findLinkByToken(db: Db, token: string): Promise<PublicLinkRow | undefined> {
  const row = await db('public_links').where({ token }).first();
  return row && toRow(row);
}

/** The link row locked for this transaction: concurrent answers to one link queue here. */
export async function lockLinkByToken(trx: Db, token: string): Promise<PublicLinkRow | undefined> {
  const row = await trx('public_links').where({ token }).forUpdate().first();
  return row && toRow(row);
}

export async function findLinkById(db: Db, id: string): Promise<PublicLinkRow | undefined> {
  const row = await db('public_links').where({ id }).first();
  return row && toRow(row);
}

/** A form's published links (not the instance-bound ones), newest first. */
export async function listFormLinks(db: Db, formKey: string): Promise<PublicLinkRow[]> {
  const rows = await db('public_links')
    .where({ form_key: formKey })
    .whereIn('kind', ['form', 'start'])
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(500);
  return rows.map(toRow);
}

/** The links an instance created (its survey links), oldest first. */
export async function listInstanceLinks(db: Db, instanceId: string): Promise<PublicLinkRow[]> {
  return (await db('public_links').where({ instance_id: instanceId }).orderBy('created_at')).map(toRow);
}

export async function revokeLink(db: Db, id: string, at: Date): Promise<PublicLinkRow | undefined> {
  const [row] = await db('public_links')
    .where({ id })
    .update({ revoked_at: db.raw('coalesce(revoked_at, ?)', [at]) })
    .returning('*');
  return row && toRow(row);
}

export async function countUse(trx: Db, id: string): Promise<void> {
  await trx('public_links').where({ id }).increment('use_count', 1);
}

export interface LinkAnswerRow {
  id: string;
  linkId: string;
  recordId: string | null;
  instanceId: string | null;
  channel: Record<string, string>;
  answeredAt: Date;
}

export async function insertAnswer(
  trx: Db,
  answer: { linkId: string; recordId: string; instanceId: string | null; channel: Record<string, string>; answeredAt: Date },
): Promise<void> {
  await trx('public_link_answers').insert({
    link_id: answer.linkId,
    record_id: answer.recordId,
    instance_id: answer.instanceId,
    channel: JSON.stringify(answer.channel),
    answered_at: answer.answeredAt,
  });
}

export async function listAnswers(db: Db, linkId: string): Promise<LinkAnswerRow[]> {
  const rows = await db('public_link_answers')
    .where({ link_id: linkId })
    .orderBy([{ column: 'answered_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(500);
  return rows.map((row: any) => ({
    id: row.id,
    linkId: row.link_id,
    recordId: row.record_id,
    instanceId: row.instance_id,
    channel: row.channel ?? {},
    answeredAt: row.answered_at,
  }));
}

/** Whether the instance still waits for `messageName` (a subscription of a token of it). */
export async function waitingSubscription(
  db: Db,
  instanceId: string,
  messageName: string,
): Promise<{ id: string; executionId: string; elementId: string } | undefined> {
  const row = await db('event_subscriptions')
    .where({ instance_id: instanceId, type: 'message', event_name: messageName })
    .orderBy('created_at')
    .first('id', 'execution_id', 'element_id');
  return row && { id: row.id, executionId: row.execution_id, elementId: row.element_id };
}
