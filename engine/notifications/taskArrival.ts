/**
 * Arrival notices (到达通知): a user task may name a message template that its people get
 * the moment a task of that node is created —
 * `<liuzhuan:settings><liuzhuan:entry key="notify" value="complaint_escalated"/></liuzhuan:settings>`.
 * The key-account complaint process uses it so that a department head hears at once when a
 * complaint's first response is escalated to them, not only the next time they open the inbox.
 *
 * Who: the task's assignee, else its candidate users and the active members of its candidate
 * groups that are department codes (the same people a reminder reaches). What they see: the
 * template rendered over the instance's variables plus `taskId`, `taskName`, `instanceId`,
 * with a link to the task. It runs as a flush participant after the instance's rows are
 * written, in the command's transaction: the notice commits with the task or not at all, and
 * its `notification` events are published with the command's other events after the commit.
 * Deploy refuses (422 naming the node) the setting anywhere but on a user task, and a value that
 * is not a template key (taskArrivalChecks). A template that does not exist when the task
 * comes fails the command (a timer's job then retries and becomes an incident), so a misspelt
 * key is noticed rather than silently sending nothing.
 */
import type { Knex } from 'knex';
import type { FlowNode } from '../bpmn/model.ts';
import { EventBus } from '../events.ts';
import type { CompileListener } from '../extensions/compileListeners.ts';
import type { FlushParticipant } from '../extensions/flushParticipants.ts';
import type { InstanceRun, NewTask } from '../runtime/instanceRun.ts';
import { activeMemberUsernames } from '../store/departments.ts';
import { getFormVersion } from '../store/forms.ts';
import type { FormShape } from './handlebars.ts';
import { notify } from './notify.ts';

const NOTIFY_KEY = 'notify';
/** What a message template key looks like (as the notify effect's check reads it). */
const TEMPLATE_KEY = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The message template key a node's `notify` setting names, if any. */
export function arrivalTemplateOf(node: FlowNode | undefined): string | null {
  let template: string | null = null;
  for (const settings of asList(node?.extensions?.settings)) {
    for (const entry of asList((settings as { entries?: unknown } | null)?.entries)) {
      const { key, value } = (entry ?? {}) as { key?: unknown; value?: unknown };
      if (key === NOTIFY_KEY && typeof value === 'string' && value.trim()) template = value.trim();
    }
  }
  return template;
}

export const taskArrivalChecks: CompileListener = {
  name: 'notifications.taskArrivalChecks',
  checkNode(ctx, _process, node) {
    const template = arrivalTemplateOf(node);
    if (template === null) return;
    if (node.type !== 'userTask') {
      ctx.problem(node.id, `${ctx.describeId(node.id)}: the "notify" setting (arrival notice) belongs on a user task`);
    } else if (!TEMPLATE_KEY.test(template)) {
      ctx.problem(node.id, `${ctx.describeId(node.id)}: the "notify" setting must name a message template key, not "${template}"`);
    }
  },
};

export const taskArrivalNotices: FlushParticipant = {
  name: 'notifications.taskArrival',
  async instanceWritten({ trx }, run) {
    for (const task of run.tasks) {
      const node = run.process.nodes[task.elementId];
      if (node?.type !== 'userTask') continue;
      const template = arrivalTemplateOf(node);
      if (template) await sendNotice(trx, run, task, template);
    }
  },
};

async function sendNotice(trx: Knex, run: InstanceRun, task: NewTask, template: string): Promise<void> {
  const to = task.assignee
    ? [task.assignee]
    : [...new Set([...task.candidateUsers, ...(await activeMemberUsernames(trx, task.candidateGroups))])];
  if (to.length === 0) return;
  // notify() publishes on a bus; here its events join the run's, published after the commit.
  const events = new EventBus();
  events.subscribe((event) => run.emit(event));
  const data = {
    ...(run.root.variables ?? {}),
    taskId: task.id,
    taskName: task.name ?? task.elementId,
    elementId: task.elementId,
    instanceId: run.id,
  };
  await notify({ db: trx, events }, { template, to, data, link: `/tasks/${task.id}`, form: await boundForm(trx, run) });
}

/** The process's bound form, so the template's `label` helper words choice fields. */
async function boundForm(trx: Knex, run: InstanceRun): Promise<FormShape | undefined> {
  if (!run.process.formKey) return undefined;
  const form = await getFormVersion(trx, run.process.formKey);
  return form ? { schema: form.schema as Record<string, any>, uiSchema: form.uiSchema as Record<string, any> } : undefined;
}
