/**
 * Links an admin publishes for a form (外链): `start` when a process is bound to the form (the
 * answer starts it, as a staff submission does), else `form` (the answer is a record). Limited
 * in time (`expiresAt`) and count (`maxUses`) when given; `channel` holds defaults recorded
 * with every answer (e.g. `{channel: "wechat"}`). Revoking is final and keeps the answers.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { NotFoundError, ValidationError, type ErrorDetail } from '../errors.ts';
import { boundDefinition } from '../forms/flowQueries.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { bodyValidator } from '../forms/validator.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import type { AuthUser } from '../identity/types.ts';
import { latestVersionOf } from '../store/forms.ts';
import { cleanChannel } from './channel.ts';
import { findLinkById, insertPublicLinks, listAnswers, listFormLinks, revokeLink, type PublicLinkRow } from './store.ts';
import { linkPath, newToken } from './token.ts';

export interface FormLinkInput {
  title?: string | null;
  /** ISO date-time; absent or null: never expires. */
  expiresAt?: string | null;
  /** Absent or null: unlimited. */
  maxUses?: number | null;
  channel?: Record<string, string>;
}

/** The admin's request body (also in server/openapi/paths/publicLinks.ts). */
export const FORM_LINK_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: ['string', 'null'], maxLength: 200 },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    maxUses: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 },
    channel: {
      type: 'object',
      maxProperties: 10,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,39}$' },
      additionalProperties: { type: 'string', maxLength: 200 },
    },
  },
} as const;
const validateBody = bodyValidator(FORM_LINK_BODY as unknown as Record<string, unknown>);

export interface PublicLinkView {
  id: string;
  kind: PublicLinkRow['kind'];
  formKey: string;
  processKey: string | null;
  instanceId: string | null;
  title: string | null;
  path: string;
  token: string;
  expiresAt: string | null;
  maxUses: number | null;
  useCount: number;
  channel: Record<string, string>;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** open | used | expired | revoked, as the page would say. */
  state: 'open' | 'used' | 'expired' | 'revoked';
}

export function toLinkView(link: PublicLinkRow, now: Date): PublicLinkView {
  const state = link.revokedAt
    ? 'revoked'
    : link.maxUses !== null && link.useCount >= link.maxUses
      ? 'used'
      : link.expiresAt && link.expiresAt.getTime() <= now.getTime()
        ? 'expired'
        : 'open';
  return {
    id: link.id,
    kind: link.kind,
    formKey: link.formKey,
    processKey: link.processKey,
    instanceId: link.instanceId,
    title: link.title,
    path: linkPath(link.token),
    token: link.token,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    maxUses: link.maxUses,
    useCount: link.useCount,
    channel: link.channel,
    createdBy: link.createdBy,
    createdAt: link.createdAt.toISOString(),
    revokedAt: link.revokedAt?.toISOString() ?? null,
    state,
  };
}

export async function createFormLink(
  db: Db,
  formKey: string,
  body: unknown,
  actor: AuthUser,
  locale: MessageLocale,
  now: Date,
): Promise<PublicLinkView> {
  if ((await latestVersionOf(db, formKey)) === undefined) throw new NotFoundError(`No form "${formKey}"`);
  validateBody(body ?? {}, locale);
  const input = (body ?? {}) as FormLinkInput;
  const details: ErrorDetail[] = [];
  let expiresAt: Date | null = null;
  if (input.expiresAt) {
    expiresAt = new Date(input.expiresAt);
    if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()) {
      details.push({ pointer: '/expiresAt', message: locale === 'en' ? 'must be a date and time in the future' : '应为将来的日期时间' });
    }
  }
  if (details.length > 0) throw new ValidationError(locale === 'en' ? 'The link cannot be created' : '无法创建外链', details);
  const definition = await boundDefinition(db, formKey);
  const [link] = await insertPublicLinks(db, [
    {
      id: randomUUID(),
      token: newToken(),
      kind: definition ? 'start' : 'form',
      formKey,
      processKey: definition?.key ?? null,
      instanceId: null,
      elementId: null,
      messageName: null,
      businessKey: null,
      title: input.title?.trim() || null,
      expiresAt,
      maxUses: input.maxUses ?? null,
      channel: cleanChannel(input.channel),
      prefill: {},
      createdBy: actor.id,
      createdAt: now,
    },
  ]);
  return toLinkView(link!, now);
}

export async function formLinks(db: Db, formKey: string, now: Date): Promise<PublicLinkView[]> {
  if ((await latestVersionOf(db, formKey)) === undefined) throw new NotFoundError(`No form "${formKey}"`);
  return (await listFormLinks(db, formKey)).map((link) => toLinkView(link, now));
}

async function linkOfForm(db: Db, formKey: string, id: string): Promise<PublicLinkRow> {
  const link = UUID_PATTERN.test(id) ? await findLinkById(db, id) : undefined;
  if (!link || link.formKey !== formKey) throw new NotFoundError(`No public link ${id} of form "${formKey}"`);
  return link;
}

export async function revokeFormLink(db: Db, formKey: string, id: string, now: Date): Promise<PublicLinkView> {
  await linkOfForm(db, formKey, id);
  return toLinkView((await revokeLink(db, id, now))!, now);
}

export async function formLinkAnswers(db: Db, formKey: string, id: string) {
  await linkOfForm(db, formKey, id);
  return (await listAnswers(db, id)).map((answer) => ({
    recordId: answer.recordId,
    instanceId: answer.instanceId,
    channel: answer.channel,
    answeredAt: answer.answeredAt.toISOString(),
  }));
}
