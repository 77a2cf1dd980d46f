/**
 * notify(): render a message template for some users and deliver it on the template's
 * channel. In-app: a `notifications` row per user plus a `notification` event to the user's
 * room. E-mail and chat robot: `effect:email` / `effect:chatRobot` jobs, so the job executor
 * delivers them exactly once in effect, with retries, outside any request.
 *
 * The rendered text travels in the job's `variables` and the effect config only says
 * `{{subject}}`/`{{body}}`: the effects render their config as handlebars again, and record
 * data containing `{{…}}` must not be interpreted a second time.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EventBus } from '../events.ts';
import { insertJobs } from '../store/jobs.ts';
import { insertNotifications } from '../store/notifications.ts';
import type { MessageTemplate } from '../store/templates.ts';
import { maskPersonal } from '../privacy/personal.ts';
import { renderTemplate, type FormShape } from './handlebars.ts';
import { readMessageTemplate } from './templates.ts';

export interface NotifyInput {
  template: string;
  /** Usernames. Unknown or inactive ones are skipped (and reported). */
  to: string[];
  data: Record<string, unknown>;
  /** A link shown with in-app messages, e.g. `/forms/complaint/records/<id>`. */
  link?: string | null;
  /** For the `label` helper. */
  form?: FormShape;
}

export interface NotifyResult {
  channel: MessageTemplate['channel'];
  delivered: string[];
  skipped: string[];
  jobIds: string[];
}

export async function notify(deps: { db: Knex; events: EventBus }, input: NotifyInput): Promise<NotifyResult> {
  return notifyWith(deps, await readMessageTemplate(deps.db, input.template), input);
}

/** notify() with the template in hand: a stored one, or one built into the engine (reminders). */
export async function notifyWith(
  deps: { db: Knex; events: EventBus },
  template: MessageTemplate,
  input: Omit<NotifyInput, 'template'>,
): Promise<NotifyResult> {
  const { db } = deps;
  const noEscape = template.channel !== 'inApp';
  const cacheKey = `message:${template.key}@${template.updatedAt}`;
  // Messages go to staff, by mail and chat robots too: personal fields of the form are masked (docs/privacy.md).
  const data = input.form ? maskPersonal(input.form.schema, input.data) : input.data;
  const render = (part: 'subject' | 'body') =>
    renderTemplate(`${cacheKey}:${part}`, template[part], data, { noEscape, form: input.form });
  const subject = render('subject');
  const body = render('body');

  const wanted = [...new Set(input.to.filter((name) => typeof name === 'string' && name))];
  const users: Array<{ id: string; username: string; email: string | null }> = wanted.length
    ? await db('users').select('id', 'username', 'email').whereIn('username', wanted).andWhere({ active: true })
    : [];
  const found = new Set(users.map((user) => user.username));
  const result: NotifyResult = { channel: template.channel, delivered: [], skipped: wanted.filter((name) => !found.has(name)), jobIds: [] };
  const job = (type: string, config: Record<string, string>, variables: Record<string, unknown>) => {
    const id = randomUUID();
    result.jobIds.push(id);
    return { id, type, instanceId: null, executionId: null, elementId: null, dueAt: new Date(), payload: { config, variables } };
  };

  if (template.channel === 'inApp') {
    const rows = await insertNotifications(db, users.map((user) => ({ username: user.username, title: subject, body, link: input.link ?? null })));
    const ids = new Map(users.map((user) => [user.username, user.id]));
    deps.events.publish(rows.map((row) => ({ type: 'notification', rooms: [`user:${ids.get(row.username)}`], payload: { ...row } })));
    result.delivered = rows.map((row) => row.username);
  } else if (template.channel === 'email') {
    const withMail = users.filter((user) => user.email);
    result.skipped.push(...users.filter((user) => !user.email).map((user) => user.username));
    await insertJobs(
      db,
      withMail.map((user) =>
        job('effect:email', { ...template.config, to: '{{to}}', subject: '{{subject}}', text: '{{body}}' }, { to: user.email, subject, body }),
      ),
    );
    result.delivered = withMail.map((user) => user.username);
  } else {
    // A robot posts to one group chat: one message, the recipients are who it is about.
    await insertJobs(db, [job('effect:chatRobot', { ...template.config, title: '{{subject}}', content: '{{body}}' }, { subject, body })]);
    result.delivered = users.map((user) => user.username);
  }
  return result;
}
