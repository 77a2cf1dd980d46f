/**
 * What the public page (`/p/:token`, no login) may know: the form to fill (title, schema, UI
 * schema of its latest version) and the link's title and expiry — nothing of the instance,
 * its record or anyone's data. A link that cannot be answered answers 404/410 with the code
 * the page shows (linkState.ts); an instance-bound link whose instance no longer waits is
 * `link_closed`.
 */
import type { Db } from '../db/connection.ts';
import { getFormVersion } from '../store/forms.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { assertAnswerable, linkError } from './linkState.ts';
import { findLinkByToken, waitingSubscription } from './store.ts';
import { TOKEN_PATTERN } from './token.ts';

export interface PublicLinkPage {
  kind: 'form' | 'start' | 'instance';
  title: string;
  expiresAt: string | null;
  form: { key: string; version: number; title: string; schema: Record<string, unknown>; uiSchema: Record<string, unknown> };
}

export async function publicLinkPage(db: Db, token: string, locale: MessageLocale, now: Date): Promise<PublicLinkPage> {
  const link = TOKEN_PATTERN.test(token) ? await findLinkByToken(db, token) : undefined;
  assertAnswerable(link, now, locale);
  if (link.kind === 'instance' && !(await waitingSubscription(db, link.instanceId!, link.messageName!))) {
    throw linkError('link_closed', locale);
  }
  const form = await getFormVersion(db, link.formKey);
  if (!form) throw linkError('link_not_found', locale);
  return {
    kind: link.kind,
    title: link.title ?? form.title,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    form: { key: form.key, version: form.version, title: form.title, schema: form.schema, uiSchema: form.uiSchema },
  };
}
