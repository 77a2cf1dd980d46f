/**
 * In-app (or any channel's) notification from a model: a service or send task with
 * `<liuzhuan:effect type="notify" template="payment_overdue" to="{{owner}}" link="/records/{{recordId}}"/>`
 * sends the stored message template `template` to the usernames `to` names (comma-separated,
 * handlebars over the variables the token saw, as every effect's config), rendered over those
 * variables plus `instanceId`. The contract process reminds a salesperson of an overdue
 * installment this way, where no task of theirs exists to hang a reminder on.
 *
 * Unlike webhooks and e-mail, this effect writes only to the database (notification rows, or
 * the e-mail / robot jobs the template's channel asks for), so it runs as ONE transaction that
 * also deletes its job while still holding the lease: a notification is sent exactly once, and
 * a lost lease sends nothing. Registered for the exact type `effect:notify`, which wins over
 * the generic `effect:` handler (extensions/jobHandlers.ts). A missing template or `to` is
 * refused at deploy (notifyEffectChecks); a template deleted since fails the attempt, so
 * retries and then an incident show the mistake instead of silence.
 */
import type { Knex } from 'knex';
import { runCommand } from '../commands/runCommand.ts';
import type { CompileListener } from '../extensions/compileListeners.ts';
import type { JobHandler } from '../extensions/jobHandlers.ts';
import { render } from '../effects/template.ts';
import { getFormVersion } from '../store/forms.ts';
import { lockJob } from '../store/jobs.ts';
import type { FormShape } from './handlebars.ts';
import { notify } from './notify.ts';

export const NOTIFY_EFFECT_JOB_TYPE = 'effect:notify';

const TEMPLATE_KEY = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/** Deploy checks (422 naming the node): a notify effect names a message template and its recipients. */
export const notifyEffectChecks: CompileListener = {
  name: 'notifications.notifyEffect',
  checkNode(ctx, _process, node) {
    const settings = node.serviceTask;
    if (settings?.kind !== 'effect' || settings.effectType !== 'notify') return;
    const template = settings.config.template;
    if (!template || !TEMPLATE_KEY.test(template)) {
      ctx.problem(node.id, `${ctx.describeId(node.id)}: liuzhuan:effect type="notify" needs template="<message template key>"${template ? `, not "${template}"` : ''}`);
    }
    if (!settings.config.to?.trim()) {
      ctx.problem(node.id, `${ctx.describeId(node.id)}: liuzhuan:effect type="notify" needs to="<usernames>" (e.g. {{owner}})`);
    }
  },
};

/** Usernames from the rendered `to`: comma or whitespace separated, blanks dropped. */
export function recipientsOf(to: string, variables: Record<string, unknown>): string[] {
  return render(to, variables)
    .split(/[\s,，]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export const notifyEffectHandler: JobHandler = async ({ deps, job, owner }) => {
  const config = (job.payload.config ?? {}) as Record<string, string>;
  const variables = { ...((job.payload.variables ?? {}) as Record<string, unknown>), instanceId: job.instanceId };
  if (!config.template) throw new Error(`${job.type} at "${job.elementId}": liuzhuan:effect needs a template`);
  if (!config.to) throw new Error(`${job.type} at "${job.elementId}": liuzhuan:effect needs "to" (usernames)`);
  const outcome = await runCommand(deps, async (_uow, scope) => {
    const row = await lockJob(scope.trx, job.id);
    if (!row) return 'gone' as const;
    if (row.lockedBy !== owner) return 'lease_lost' as const;
    await scope.trx('jobs').where({ id: job.id }).delete();
    const to = recipientsOf(config.to, variables);
    // Nobody to tell (e.g. the owner variable is empty) is not worth an incident: done.
    if (to.length > 0) {
      const link = config.link ? render(config.link, variables) : null;
      const form = job.instanceId ? await boundFormOf(scope.trx, job.instanceId) : undefined;
      // nested(): notify's events are published after this transaction commits.
      const { db, events } = scope.nested();
      await notify({ db, events }, { template: config.template, to, data: variables, link, form });
    }
    return 'ran' as const;
  });
  return outcome === 'ran' ? { ran: true } : { ran: false, reason: outcome };
};

/** The form the instance's process is bound to, so the template's `label` helper words choices. */
async function boundFormOf(trx: Knex, instanceId: string): Promise<FormShape | undefined> {
  const bound = await trx('process_instances as i')
    .join('process_definitions as d', 'd.id', 'i.definition_id')
    .where('i.id', instanceId)
    .first(trx.raw("d.compiled->>'formKey' AS form_key"));
  const form = bound?.form_key ? await getFormVersion(trx, bound.form_key) : undefined;
  return form ? { schema: form.schema as Record<string, any>, uiSchema: form.uiSchema as Record<string, any> } : undefined;
}
