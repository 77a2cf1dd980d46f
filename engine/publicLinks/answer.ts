/**
 * Answering a public link (`POST /api/public/links/:token`): one command, one transaction.
 * The link row is locked first, so of two answers at once exactly one counts and the other
 * finds it used (410). Then, for a link bound to an instance, the instance is locked and must
 * still wait for the link's message (else 410 `link_closed`). Staff-only fields are dropped
 * from the data and the link's fixed values put over it (publicFields.ts); it is validated with the
 * form's schema (422 with pointers, nothing written), the record is stored as the link's
 * visitor (guest.ts) and routed like any record, and:
 *   - `form`: that is all;
 *   - `start`: the form's bound process starts with it, as a staff submission does;
 *   - `instance`: the message is delivered to that instance with `answer` (the stored data)
 *     and `answerRecordId`.
 * Finally the use is counted and the answer row (record, channel) written.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import { runCommand } from '../commands/runCommand.ts';
import { logDelivery } from '../commands/shared/deliveryLog.ts';
import { boundDefinition } from '../forms/flowQueries.ts';
import { submitToDefinition } from '../forms/flowSubmit.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { createRecord as storeRecord } from '../forms/records.ts';
import { routeRecord, type RuleErrorReporter } from '../routing/route.ts';
import { schedule } from '../runtime/interpreter.ts';
import { fireEvent } from '../runtime/triggers.ts';
import { answerChannel } from './channel.ts';
import { compiledForm } from '../forms/compiled.ts';
import { guestUser } from './guest.ts';
import { publicAnswer } from './publicFields.ts';
import { fieldsClosedAtStart } from './startFields.ts';
import { assertAnswerable, linkError } from './linkState.ts';
import { countUse, insertAnswer, lockLinkByToken, waitingSubscription } from './store.ts';
import { TOKEN_PATTERN } from './token.ts';

export interface LinkAnswerInput {
  token: string;
  data: unknown;
  /** The page's query parameters; the usable ones are recorded (channel.ts). */
  channel?: unknown;
  locale: MessageLocale;
  onRuleError: RuleErrorReporter;
}

export interface LinkAnswerResult {
  kind: 'form' | 'start' | 'instance';
  recordId: string;
  /** The instance started (`start`) or answered (`instance`). */
  instanceId: string | null;
}

export async function answerPublicLink(deps: CommandDeps, input: LinkAnswerInput): Promise<LinkAnswerResult> {
  const { locale } = input;
  return runCommand(deps, async (uow, scope) => {
    const { trx } = uow;
    const now = deps.clock();
    const link = TOKEN_PATTERN.test(input.token) ? await lockLinkByToken(trx, input.token) : undefined;
    assertAnswerable(link, now, locale);
    const guest = await guestUser(trx);
    const form = await compiledForm(trx, link.formKey);
    const closed = link.kind === 'start' ? await fieldsClosedAtStart(trx, link.formKey) : [];
    const data = publicAnswer(form.schema, input.data, link.prefill, closed);
    let recordId: string;
    let instanceId: string | null = null;

    if (link.kind === 'start') {
      // The flow bound now (a newer version may have been deployed since the link was made).
      const definition = await boundDefinition(trx, link.formKey);
      if (!definition) throw linkError('link_closed', locale);
      const submitted = await submitToDefinition(
        uow,
        scope,
        definition,
        { formKey: link.formKey, data, user: guest, locale, onRuleError: input.onRuleError },
        now,
      );
      recordId = submitted.record.id;
      instanceId = submitted.instance.id;
    } else if (link.kind === 'instance') {
      // Locks the instance: whatever else happens to it now waits for this answer, or wins before it.
      const run = await uow.load(link.instanceId!);
      const waiting = await waitingSubscription(trx, run.id, link.messageName!);
      if (!waiting) throw linkError('link_closed', locale);
      const record = await storeRecord(trx, link.formKey, data, guest, locale, { trusted: true });
      scope.emit(...(await routeRecord(trx, record, input.onRuleError)));
      const step = uow.step(run);
      const variables = { answer: record.data, answerRecordId: record.id };
      schedule(step, () => fireEvent(step, waiting.executionId, waiting.elementId, variables));
      await logDelivery(uow, run.id, guest, {
        messageName: link.messageName,
        elementId: waiting.elementId,
        correlationKey: link.businessKey,
        publicLinkId: link.id,
        answerRecordId: record.id,
      });
      recordId = record.id;
      instanceId = run.id;
    } else {
      const record = await storeRecord(trx, link.formKey, data, guest, locale, { trusted: true });
      scope.emit(...(await routeRecord(trx, record, input.onRuleError)));
      recordId = record.id;
    }

    await countUse(trx, link.id);
    const channel = answerChannel(link.channel, input.channel);
    // After the flush: a started instance's row must exist before anything names it.
    scope.afterFlush(() => insertAnswer(trx, { linkId: link.id, recordId, instanceId, channel, answeredAt: now }));
    return { kind: link.kind, recordId, instanceId };
  });
}
