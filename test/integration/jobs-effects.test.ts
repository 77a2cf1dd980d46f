/** Outside effects as jobs: a real webhook receiver and a real SMTP server on 127.0.0.1. */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobExecutor } from '../../engine/jobs/executor.ts';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';

const t = useEngine();
const SECRET = 'webhook-s3cret';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}

/** A webhook receiver whose answer the test switches: 'fail' (500), 'ok', or 'slow' (ok after 300 ms). */
const receiver = {
  mode: 'ok' as 'ok' | 'fail' | 'slow',
  requests: [] as Received[],
  url: '',
  server: undefined as Server | undefined,
};

let executor: JobExecutor;

beforeAll(async () => {
  receiver.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answered = receiver.mode === 'fail' ? 500 : 200;
      receiver.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      const reply = () => res.writeHead(answered, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (receiver.mode === 'slow') setTimeout(reply, 300);
      else reply();
    });
  });
  await new Promise<void>((resolve) => receiver.server!.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  executor = t.engine.createJobExecutor({ nodeId: 'effects-test', retry: { baseMs: 1_000, maxMs: 10_000 } });
});

afterAll(async () => {
  await new Promise((resolve) => receiver.server?.close(resolve));
});

function webhookProcess(key: string): string {
  return bpmn(`<process id="${key}" isExecutable="true">
    <startEvent id="start"/>
    <serviceTask id="notify"><extensionElements>
      <liuzhuan:effect type="webhook" url="${receiver.url}" secret="${SECRET}"/>
    </extensionElements></serviceTask>
    <userTask id="review"/>
    ${flow('start', 'notify')}
    ${flow('notify', 'review')}
  </process>`);
}

function verifies(request: Received): boolean {
  const timestamp = String(request.headers['x-liuzhuan-timestamp']);
  const expected = createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex');
  return request.headers['x-liuzhuan-signature'] === `sha256=${expected}`;
}

describe('webhook effects', () => {
  it('a failing webhook is retried with back-off, becomes an incident, and a retry delivers it once', async () => {
    await t.deploy(webhookProcess('hooked'));
    receiver.mode = 'fail';
    receiver.requests.length = 0;
    const { id } = await t.engine.startInstance({ definitionKey: 'hooked', variables: { orderNo: 'A-17' } });
    // The effect is a job: the token has moved on already, nothing was sent inside the transaction.
    expect(await t.active(id)).toEqual(['review']);
    const [job] = await t.engine.listJobs({ instanceId: id });
    expect(job).toMatchObject({ type: 'effect:webhook', elementId: 'notify' });
    expect(receiver.requests).toHaveLength(0);

    const delays: number[] = [];
    for (const attempt of [1, 2]) {
      expect(await executor.runDueJobsOnce()).toMatchObject({ retried: 1 });
      const row = (await t.engine.listJobs({ instanceId: id }))[0]!;
      expect(row).toMatchObject({ attempts: attempt, retriesLeft: 3 - attempt });
      expect(row.lastError).toContain('500');
      delays.push(row.dueAt.getTime() - t.clock.now.getTime());
      // Not due again until the back-off has passed.
      expect(await executor.runDueJobsOnce()).toMatchObject({ acquired: 0 });
      t.clock.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([1_000, 2_000]);

    t.events.length = 0;
    expect(await executor.runDueJobsOnce()).toMatchObject({ incidents: 1 });
    const broken = await t.engine.getInstance(id);
    expect(broken.status).toBe('incident');
    expect(broken.incidents).toHaveLength(1);
    expect(broken.incidents[0]!.message).toContain('answered 500');
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'instance.updated', payload: expect.objectContaining({ status: 'incident' }) }));
    expect(receiver.requests).toHaveLength(3);

    receiver.mode = 'ok';
    expect(await t.engine.retryIncident(broken.incidents[0]!.id)).toMatchObject({ status: 'active' });
    expect(await executor.runDueJobsOnce()).toMatchObject({ executed: 1 });
    const fixed = await t.engine.getInstance(id);
    expect(fixed).toMatchObject({ status: 'active', incidents: [] });
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(0);

    const delivered = receiver.requests.filter((request) => request.answered === 200);
    expect(delivered).toHaveLength(1);
    // Every attempt carries the job id as its idempotency key and a valid signature.
    for (const request of receiver.requests) {
      expect(request.headers['x-liuzhuan-idempotency-key']).toBe(job!.id);
      expect(verifies(request)).toBe(true);
    }
    expect(JSON.parse(delivered[0]!.body)).toMatchObject({ jobId: job!.id, instanceId: id, elementId: 'notify', variables: { orderNo: 'A-17' } });
    expect(verifies({ ...delivered[0]!, body: `${delivered[0]!.body} ` })).toBe(false);
  });

  it('a graceful stop lets the running job finish and gives back the leases of the others', async () => {
    await t.deploy(webhookProcess('slowHook'));
    receiver.mode = 'slow';
    receiver.requests.length = 0;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.engine.startInstance({ definitionKey: 'slowHook' })).id);
    const jobIds = (await t.engine.deps.db('jobs').whereIn('instance_id', ids).select('id')).map((row: any) => row.id);
    expect(jobIds).toHaveLength(3);

    const live = t.engine.createJobExecutor({ nodeId: 'stopping', maxConcurrency: 1, batchSize: 3 });
    live.start();
    await eventually(() => receiver.requests.length > 0, { message: 'the first webhook request', intervalMs: 10 });
    expect(receiver.requests).toHaveLength(1);
    const leased = await t.engine.deps.db('jobs').whereIn('id', jobIds).where({ locked_by: 'stopping' });
    expect(leased).toHaveLength(3);
    await live.stop();

    const left = await t.engine.deps.db('jobs').whereIn('id', jobIds);
    expect(left).toHaveLength(2);
    for (const row of left) expect(row).toMatchObject({ locked_by: null, locked_until: null, attempts: 0 });
    expect(receiver.requests).toHaveLength(1);

    // Another executor picks them up at once.
    receiver.mode = 'ok';
    expect(await executor.runDueJobsOnce()).toMatchObject({ executed: 2 });
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((request) => request.headers['x-liuzhuan-idempotency-key'])).size).toBe(3);
  });
});

describe('email effects', () => {
  it('sends exactly one message through a real SMTP server, with a Message-ID from the job id', async () => {
    const messages: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          messages.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      await t.deploy(
        bpmn(`<process id="mailer" isExecutable="true">
          <startEvent id="start"/>
          <sendTask id="mail"><extensionElements>
            <liuzhuan:effect type="email" smtpUrl="smtp://127.0.0.1:${port}" to="{{customerEmail}}" from="flow@example.test">
              <liuzhuan:entry key="subject" value="Order {{orderNo}} approved"/>
              <liuzhuan:entry key="text" value="Dear customer, order {{orderNo}} is approved."/>
            </liuzhuan:effect>
          </extensionElements></sendTask>
          <endEvent id="end"/>
          ${flow('start', 'mail')}
          ${flow('mail', 'end')}
        </process>`),
      );
      const { id } = await t.engine.startInstance({
        definitionKey: 'mailer',
        variables: { orderNo: 'B-2', customerEmail: 'buyer@example.test' },
      });
      const [job] = await t.engine.listJobs({ instanceId: id });
      expect(await executor.runDueJobsOnce()).toMatchObject({ executed: 1 });
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('Subject: Order B-2 approved');
      expect(messages[0]).toContain('To: buyer@example.test');
      expect(messages[0]).toMatch(new RegExp(`Message-ID: <${job!.id}@liuzhuan\\.local>`, 'i'));
      expect(await executor.runDueJobsOnce()).toMatchObject({ acquired: 0 });
      expect(messages).toHaveLength(1);
      expect(await t.status(id)).toBe('completed');
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
