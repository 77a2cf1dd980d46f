/**
 * Public links as the engine offers them (`engine.publicLinks`, engine/engine.ts): the
 * public page's read and answer, and the admin's publish / list / revoke of a form's links.
 * Admin checks are the route's (server/routes/publicLinks.ts); the engine trusts its caller.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import type { MessageLocale } from '../forms/messages.ts';
import type { AuthUser } from '../identity/types.ts';
import { answerPublicLink, type LinkAnswerInput } from './answer.ts';
import { createFormLink, formLinkAnswers, formLinks, revokeFormLink, toLinkView, type FormLinkInput } from './formLinks.ts';
import { publicLinkPage } from './publicView.ts';
import { listInstanceLinks } from './store.ts';

export type { FormLinkInput, LinkAnswerInput };
export type { PublicLinkView } from './formLinks.ts';
export type { PublicLinkPage } from './publicView.ts';

export function publicLinkApi(deps: CommandDeps) {
  const { db, clock } = deps;
  return {
    /** The public page's data; 404/410 with the code the page shows. */
    page: (token: string, locale: MessageLocale) => publicLinkPage(db, token, locale, clock()),
    /** The one command: lock, check, validate, record, start or correlate, count. */
    answer: (input: LinkAnswerInput) => answerPublicLink(deps, input),
    create: (formKey: string, input: unknown, actor: AuthUser, locale: MessageLocale) =>
      createFormLink(db, formKey, input, actor, locale, clock()),
    listForForm: (formKey: string) => formLinks(db, formKey, clock()),
    revoke: (formKey: string, id: string) => revokeFormLink(db, formKey, id, clock()),
    answersOf: (formKey: string, id: string) => formLinkAnswers(db, formKey, id),
    /** The links an instance created (its survey links); the caller checks the reader may read the instance. */
    ofInstance: async (instanceId: string) => (await listInstanceLinks(db, instanceId)).map((link) => toLinkView(link, clock())),
  };
}
