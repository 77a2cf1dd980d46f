/**
 * Durable automations, on an engine with NO job executor running: the `automation:run` job
 * commits with the record write (and only then), stays until something runs it, runs its
 * actions once, a retry after a partial success duplicates nothing, two holders of one job
 * run it once, a crash of the handler is a counted attempt, and a loop through a process an
 * automation started is stopped.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { parseAutomation } from '../../engine/automations/definition.ts';
import { AUTOMATION_JOB_TYPE, runAutomationJob } from '../../engine/automations/index.ts';
import { createRecord, replaceRecord } from '../../engine/forms/records.ts';
import { saveForm } from '../../engine/forms/forms.ts';
import { createUser } from '../../engine/identity/org.ts';
import type { AuthUser } from '../../engine/identity/types.ts';
import { insertAutomation } from '../../engine/store/automations.ts';
import { findJob, insertJobs, type JobRow } from '../../engine/store/jobs.ts';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';

const t = useEngine();
let user: AuthUser;
const db = () => t.engine.deps.db;

const automationJobs = async () => (await db()('jobs').where({ type: AUTOMATION_JOB_TYPE }).orderBy('due_at')) as Array<{ id: string; payload: any; instance_id: string | null; attempts: number }>;
const recordsOf = async (formKey: string) => (await db()('records').where({ form_key: formKey }).orderBy('created_at')) as Array<{ id: string; data: any }>;
const runsOf = async (automationId: string) =>
  (await db()('automation_runs').where({ automation_id: automationId }).orderBy('created_at')) as Array<{ status: string; job_id: string; chain: string[]; error: string | null }>;

async function automation(body: Record<string, unknown>) {
  return insertAutomation(db(), parseAutomation(body));
}

/** Runs automation jobs through the executor's code path until none is left (bounded). */
async function runAllAutomationJobs(): Promise<number> {
  let ran = 0;
  for (let round = 0; round < 20; round += 1) {
    const jobs = await automationJobs();
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      expect(await t.engine.executeJob(job.id)).toMatchObject({ status: 'executed' });
      ran += 1;
    }
  }
  throw new Error('automation jobs keep coming: a loop was not stopped');
}

beforeAll(async () => {
  const created = await createUser(db(), { username: 'writer', displayName: 'Writer', password: 'password-123' }, 'en');
  user = { id: created.id, username: 'writer', displayName: 'Writer', role: 'staff', locale: 'en', departmentIds: [], roles: ['staff'], groups: ['staff'] };
  const schema = { type: 'object', required: ['customer'], properties: { customer: { type: 'string' }, note: { type: 'string' } } };
  for (const key of ['ticket', 'followup', 'audit', 'plain']) await saveForm(db(), { key, title: key, schema, uiSchema: {} }, null);
});

describe('the job commits with the record write', () => {
  let toFollowup: { id: string };
  let jobId: string;

  it('queues one job in the write transaction, none without automations, none on rollback', async () => {
    toFollowup = await automation({
      name: 'ticket → followup', trigger: 'record.created', formKey: 'ticket',
      actions: [{ type: 'createRecord', formKey: 'followup', data: { customer: 'customer', note: '"from " + record.id' } }],
    });
    await createRecord(db(), 'plain', { customer: 'No Automations' }, user, 'en');
    expect(await automationJobs()).toEqual([]);

    // The write's transaction rolls back: neither record nor job stays.
    await expect(
      db().transaction(async (trx) => {
        await createRecord(trx, 'ticket', { customer: 'Rolled Back' }, user, 'en');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await automationJobs()).toEqual([]);
    expect(await recordsOf('ticket')).toEqual([]);

    const record = await createRecord(db(), 'ticket', { customer: 'ACME' }, user, 'en');
    const jobs = await automationJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toMatchObject({ trigger: 'record.created', key: 'ticket', actorId: user.id, chain: [], record: { id: record.id, data: { customer: 'ACME' } } });
    jobId = jobs[0]!.id;
    // Nothing runs it here (no executor): it waits, and the action has not happened.
    expect(await recordsOf('followup')).toEqual([]);
    expect(await findJob(db(), jobId)).toMatchObject({ type: AUTOMATION_JOB_TYPE, attempts: 0, lockedBy: null });
  });

  it('runs the actions once when the job runs, and a re-run of the same job duplicates nothing', async () => {
    const stored = await db()('jobs').where({ id: jobId }).first();
    expect(await t.engine.executeJob(jobId)).toMatchObject({ status: 'executed' });
    expect(await findJob(db(), jobId)).toBeNull();
    const [followup] = await recordsOf('followup');
    expect(followup!.data.customer).toBe('ACME');
    expect(await runsOf(toFollowup.id)).toMatchObject([{ status: 'done', job_id: jobId, chain: [toFollowup.id], error: null }]);

    // A node that ran the automations and died before deleting the job: the lease runs out
    // and the same job runs again.
    await db()('jobs').insert(stored);
    expect(await t.engine.executeJob(jobId)).toMatchObject({ status: 'executed' });
    expect(await recordsOf('followup')).toHaveLength(1);
    expect(await runsOf(toFollowup.id)).toHaveLength(1);
  });

  it('after a partial success, a retry runs only the automations not yet done', async () => {
    const toAudit = await automation({
      name: 'ticket → audit', trigger: 'record.created', formKey: 'ticket',
      actions: [{ type: 'createRecord', formKey: 'audit', data: { customer: 'customer' } }],
    });
    await createRecord(db(), 'ticket', { customer: 'Partial Co' }, user, 'en');
    const [job] = await automationJobs();
    const stored = await db()('jobs').where({ id: job!.id }).first();
    expect(await t.engine.executeJob(job!.id)).toMatchObject({ status: 'executed' });
    // Make it as if the handler died after the first automation committed: an automation's
    // writes and its run row commit together, so "not done" is "no run row, no record".
    await db()('automation_runs').where({ automation_id: toAudit.id, job_id: job!.id }).delete();
    await db()('records').where({ form_key: 'audit' }).delete();
    await db()('jobs').insert(stored);

    expect(await t.engine.executeJob(job!.id)).toMatchObject({ status: 'executed' });
    expect((await recordsOf('followup')).filter((r) => r.data.customer === 'Partial Co')).toHaveLength(1);
    expect((await recordsOf('audit')).map((r) => r.data.customer)).toEqual(['Partial Co']);
    expect((await runsOf(toFollowup.id)).filter((run) => run.job_id === job!.id)).toHaveLength(1);
    expect(await runsOf(toAudit.id)).toMatchObject([{ status: 'done', job_id: job!.id }]);
    await db()('automations').where({ id: toAudit.id }).update({ enabled: false });
  });

  it('two holders of one job (an expired lease) run each automation once', async () => {
    await createRecord(db(), 'ticket', { customer: 'Twice Co' }, user, 'en');
    const [row] = await automationJobs();
    await db()('jobs').where({ id: row!.id }).update({ locked_by: 'node-a', locked_until: new Date(Date.now() + 60_000) });
    const job = (await findJob(db(), row!.id)) as JobRow;
    const outcomes = await Promise.all([runAutomationJob(t.engine.deps, job, 'node-a'), runAutomationJob(t.engine.deps, job, 'node-a')]);
    expect(outcomes.sort()).toEqual([false, true]);
    expect((await recordsOf('followup')).filter((r) => r.data.customer === 'Twice Co')).toHaveLength(1);
  });

  it('queues record.updated in the update transaction; a crash of the handler is a counted attempt', async () => {
    const onUpdate = await automation({
      name: 'followup updated → audit', trigger: 'record.updated', formKey: 'followup',
      actions: [{ type: 'createRecord', formKey: 'audit', data: { customer: '"updated " + customer' } }],
    });
    const [followup] = await recordsOf('followup');
    await replaceRecord(db(), 'followup', followup!.id, { customer: 'ACME', note: 'called back' }, { ...user, role: 'admin' }, 'en');
    const [job] = await automationJobs();
    expect(job!.payload).toMatchObject({ trigger: 'record.updated', record: { id: followup!.id, data: { note: 'called back' } } });
    await runAllAutomationJobs();
    expect((await recordsOf('audit')).map((r) => r.data.customer)).toContain('updated ACME');
    await db()('automations').where({ id: onUpdate.id }).update({ enabled: false });

    // A payload the handler cannot run: the job policy counts it and retries later.
    const broken = '00000000-0000-4000-8000-00000000b0b0';
    await insertJobs(db(), [{ id: broken, type: AUTOMATION_JOB_TYPE, instanceId: null, executionId: null, elementId: null, dueAt: new Date(), payload: { trigger: 'record.created', key: 'ticket', actorId: null, chain: [] } }]);
    expect(await t.engine.executeJob(broken)).toMatchObject({ status: 'retry', attempts: 1 });
    expect(await findJob(db(), broken)).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/neither a record nor an instance/) });
    await db()('jobs').where({ id: broken }).delete();
    await db()('automations').where({ id: toFollowup.id }).update({ enabled: false });
  });
});

describe('the chain travels through a started process', () => {
  it('stops A (ticket → start review) → review finished → B (create ticket) → A at the loop', async () => {
    await t.deploy(
      bpmn(`<process id="review" isExecutable="true"><startEvent id="s"/><userTask id="check" camunda:assignee="writer"/><endEvent id="e"/>${flow('s', 'check')}${flow('check', 'e')}</process>`),
    );
    const a = await automation({
      name: 'A', trigger: 'record.created', formKey: 'ticket',
      actions: [{ type: 'startProcess', definitionKey: 'review', variables: { customer: 'customer' } }],
    });
    const b = await automation({
      name: 'B', trigger: 'process.finished', definitionKey: 'review',
      actions: [{ type: 'createRecord', formKey: 'ticket', data: { customer: 'customer + " again"' } }],
    });
    const ticketsBefore = (await recordsOf('ticket')).length;
    await createRecord(db(), 'ticket', { customer: 'Loop Co' }, user, 'en');
    await runAllAutomationJobs();

    const [instance] = await db()('process_instances').where({ definition_key: 'review' });
    expect(instance.automation_chain).toEqual([a.id]);
    expect(instance.variables).toEqual({ customer: 'Loop Co' });
    // Completing the task (a later command) queues the process.finished job with the stored chain.
    await t.complete(instance.id, 'check');
    const [finished] = await automationJobs();
    expect(finished).toMatchObject({ instance_id: instance.id, payload: { trigger: 'process.finished', chain: [a.id] } });
    await runAllAutomationJobs();

    expect((await recordsOf('ticket')).length).toBe(ticketsBefore + 2);
    expect(await db()('process_instances').where({ definition_key: 'review' })).toHaveLength(1);
    expect((await runsOf(a.id)).map((run) => [run.status, run.chain])).toEqual([
      ['done', [a.id]],
      ['loop_stopped', [a.id, b.id, a.id]],
    ]);
    expect((await runsOf(b.id)).map((run) => [run.status, run.chain])).toEqual([['done', [a.id, b.id]]]);
  });
});
