/**
 * Whether a link may be answered now: 404 `link_not_found`, 410 `link_revoked`,
 * `link_expired`, `link_used` (its uses counted up), each in the visitor's language. The
 * instance-bound link's own state (is the instance still waiting?) is checked where the
 * instance is locked (answer.ts).
 */
import { LiuzhuanError, NotFoundError } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { LINK_ERRORS, type LinkErrorCode } from './messages.ts';
import type { PublicLinkRow } from './store.ts';

export function linkError(code: LinkErrorCode, locale: MessageLocale): LiuzhuanError {
  const message = LINK_ERRORS[code][locale];
  return code === 'link_not_found' ? new NotFoundError(message, code) : new LiuzhuanError(code, message, 410);
}

export function assertAnswerable(link: PublicLinkRow | undefined, now: Date, locale: MessageLocale): asserts link is PublicLinkRow {
  if (!link) throw linkError('link_not_found', locale);
  if (link.revokedAt) throw linkError('link_revoked', locale);
  if (link.maxUses !== null && link.useCount >= link.maxUses) throw linkError('link_used', locale);
  if (link.expiresAt && link.expiresAt.getTime() <= now.getTime()) throw linkError('link_expired', locale);
}
