/**
 * Single-use links bound to a waiting instance. When a token enters a send or service task
 * with `liuzhuan:publicLink`, a link is made for this instance: its path goes into the
 * task's variable at once (so a later step or a notification can use it) and its row is
 * buffered on the run, written by the flush participant after the instance row (the link
 * references it) in the command's transaction; so is the notification of `notify`, whose
 * event is published after the commit with the instance's own.
 */
import { randomUUID } from 'node:crypto';
import type { FlowNode } from '../bpmn/model.ts';
import { classifyExpression } from '../expressions/index.ts';
import type { FlushParticipant } from '../extensions/flushParticipants.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import { evaluate, evaluateList } from '../runtime/expressions.ts';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import type { Step } from '../runtime/services.ts';
import type { Execution } from '../runtime/state.ts';
import { setVariable } from '../runtime/variables.ts';
import { insertNotifications } from '../store/notifications.ts';
import { addDuration, parseDuration } from '../timers/iso.ts';
import { ValidationError } from '../errors.ts';
import { linkNotice } from './messages.ts';
import { publicLinkOf } from './settings.ts';
import { insertPublicLinks, type NewPublicLink } from './store.ts';
import { linkPath, newToken } from './token.ts';

interface PendingLink {
  link: NewPublicLink;
  /** Usernames or user ids the `notify` expression named. */
  notify: string[];
}

/** Links made by each run of the current command; a run object lives for one command only. */
const pending = new WeakMap<InstanceRun, PendingLink[]>();

/** The service task handler (extensions/serviceTaskHandlers.ts). */
export function createInstanceLink(step: Step, execution: Execution, node: FlowNode): void {
  const settings = publicLinkOf(node);
  if (!settings) return;
  const { run } = step;
  const now = run.now();
  const token = newToken();
  const link: NewPublicLink = {
    id: randomUUID(),
    token,
    kind: 'instance',
    formKey: settings.form,
    processKey: run.record.definitionKey,
    instanceId: run.id,
    elementId: node.id,
    messageName: settings.message,
    businessKey: run.record.businessKey,
    title: null,
    expiresAt: settings.expiresIn ? expiryOf(run, execution, node, settings.expiresIn, now) : null,
    // Single use: the answer moves the token on; a second answer has nothing to move.
    maxUses: 1,
    channel: {},
    prefill: Object.fromEntries(
      settings.prefill.map((entry) => [entry.field, evaluate(run, execution, classifyExpression(entry.value, 'feel'))]),
    ),
    createdBy: null,
    createdAt: now,
  };
  setVariable(run.state, execution, settings.variable, linkPath(token));
  const notify = settings.notify ? evaluateList(run, execution, classifyExpression(settings.notify, 'literal')) : [];
  const list = pending.get(run) ?? [];
  list.push({ link, notify });
  pending.set(run, list);
}

function expiryOf(run: InstanceRun, execution: Execution, node: FlowNode, text: string, now: Date): Date {
  const source = classifyExpression(text, 'literal');
  const value = source.language === 'literal' ? text : evaluate(run, execution, source);
  if (value instanceof Date) return value;
  try {
    return addDuration(now, parseDuration(String(value ?? '').trim()));
  } catch (error) {
    throw new ValidationError(
      `${node.type} '${node.id}': liuzhuan:publicLink expiresIn gave "${String(value)}", not an ISO 8601 duration (e.g. P14D)`,
      [{ pointer: node.id, message: (error as Error).message }],
      'public_link_expiry',
    );
  }
}

/** Writes the buffered links (and notifications) of each run after its instance row. */
export const instanceLinkWriter: FlushParticipant = {
  name: 'publicLinks',
  async instanceWritten({ trx }, run) {
    const links = pending.get(run);
    if (!links || links.length === 0) return;
    pending.delete(run);
    await insertPublicLinks(trx, links.map((entry) => entry.link));
    for (const entry of links) {
      const wanted = entry.notify.filter((name) => name !== '');
      if (wanted.length === 0) continue;
      const ids = wanted.filter((name) => UUID_PATTERN.test(name));
      const users: Array<{ id: string; username: string; locale: string }> = await trx('users')
        .select('id', 'username', 'locale')
        .where({ active: true })
        .andWhere((where) => {
          where.whereIn('username', wanted);
          if (ids.length > 0) where.orWhereIn('id', ids);
        });
      const form = await trx('forms').where({ key: entry.link.formKey }).first('title');
      const path = linkPath(entry.link.token);
      for (const user of users) {
        const locale: MessageLocale = user.locale === 'en' ? 'en' : 'zh-CN';
        const words = linkNotice(locale, form?.title ?? entry.link.formKey, path);
        const [row] = await insertNotifications(trx, [{ username: user.username, ...words, link: path }]);
        run.emit({ type: 'notification', rooms: [`user:${user.id}`], payload: { ...row! } });
      }
    }
  },
};
