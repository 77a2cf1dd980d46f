/**
 * What the public page (`/p/:token`, no login) may know: the form to fill (title, schema, UI
 * schema of its latest version), the link's title and expiry, and the values the link fixes
 * (the survey's customer) — nothing else of the instance, its record or anyone's data. A link that cannot be answered answers 404/410 with the code
 * the page shows (linkState.ts); an instance-bound link whose instance no longer waits is
 * `link_closed`. A fixed value its node marks hidden (settings.ts) is neither shown nor sent:
 * it is listed with the fields the page leaves off, and the server still sets it on the answer.
 */
import type { Db } from '../db/connection.ts';
import { definitionById } from '../store/definitions.ts';
import { getFormVersion } from '../store/forms.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { assertAnswerable, linkError } from './linkState.ts';
import { hiddenOnPage } from './publicFields.ts';
import { hiddenPrefill } from './settings.ts';
import { fieldsClosedAtStart } from './startFields.ts';
import { findLinkByToken, waitingSubscription } from './store.ts';
import { TOKEN_PATTERN } from './token.ts';

export interface PublicLinkPage {
  kind: 'form' | 'start' | 'instance';
  title: string;
  expiresAt: string | null;
  /** Values the link fixes (shown read-only). */
  prefill: Record<string, unknown>;
  /** Staff-only fields the page leaves off (publicFields.ts). */
  hiddenFields: string[];
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
  const unseen = link.kind === 'instance' ? await hiddenFixedFields(db, link.instanceId!, link.elementId) : [];
  const shown = Object.fromEntries(Object.entries(link.prefill).filter(([name]) => !unseen.includes(name)));
  return {
    kind: link.kind,
    title: link.title ?? form.title,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    prefill: shown,
    hiddenFields: [
      ...new Set([...hiddenOnPage(form.schema, shown, link.kind === 'start' ? await fieldsClosedAtStart(db, link.formKey) : []), ...unseen]),
    ],
    form: { key: form.key, version: form.version, title: form.title, schema: form.schema, uiSchema: form.uiSchema },
  };
}

/** The fixed fields the link's node (in the instance's own definition version) keeps off the page. */
async function hiddenFixedFields(db: Db, instanceId: string, elementId: string | null): Promise<string[]> {
  const row = await db('process_instances').where({ id: instanceId }).first('definition_id');
  const definition = row ? await definitionById(db, row.definition_id) : null;
  return hiddenPrefill(elementId ? definition?.process.nodes[elementId] : undefined);
}
