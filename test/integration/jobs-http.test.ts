/**
 * Jobs and incidents over HTTP against a real server, whose own executor (started with the
 * server, real clock, default back-off) runs the effect jobs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let receiver: Server;
let receiverUrl = '';
let failing = true;
const answers: number[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = failing ? 503 : 204;
      answers.push(status);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

/** Waits for the server's own executor. */
const executorWait = { timeoutMs: 10_000, intervalMs: 25 };

describe('jobs and incidents over HTTP', () => {
  it('an effect that keeps failing becomes an incident; POST /api/incidents/:id/retry delivers it', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const xml = bpmn(`<process id="httpHook" isExecutable="true">
      <startEvent id="start"/>
      <serviceTask id="call"><extensionElements><liuzhuan:effect type="webhook" url="${receiverUrl}"/></extensionElements></serviceTask>
      <userTask id="after"/>
      ${flow('start', 'call')}
      ${flow('call', 'after')}
    </process>`);
    expect((await t.request('POST', '/api/definitions', { token, body: { xml } })).status).toBe(201);
    const started = await t.request('POST', '/api/instances', { token, body: { definitionKey: 'httpHook' } });
    const instanceId = started.body.id as string;
    const jobsOf = async () => (await t.request('GET', `/api/jobs?instanceId=${instanceId}`, { token })).body as any[];

    // The server's executor is woken by NOTIFY and makes the first attempt (next one in 1 s).
    const [job] = await eventually(
      async () => {
        const jobs = await jobsOf();
        expect(jobs[0]?.attempts).toBe(1);
        return jobs;
      },
      { message: 'the first attempt', ...executorWait },
    );
    expect(job).toMatchObject({ type: 'effect:webhook', attempts: 1, retriesLeft: 2 });
    expect(job.lastError).toContain('503');

    // An admin runs it by hand twice: the same path, so the last retry makes the incident.
    expect((await t.request('POST', `/api/jobs/${job.id}/execute`, { token })).body).toMatchObject({ status: 'retry', retriesLeft: 1 });
    const last = await t.request('POST', `/api/jobs/${job.id}/execute`, { token });
    expect(last.body).toMatchObject({ status: 'incident', instanceId });

    const instance = (await t.request('GET', `/api/instances/${instanceId}`, { token })).body;
    expect(instance.status).toBe('incident');
    expect(instance.incidents).toHaveLength(1);
    const listed = (await t.request('GET', `/api/incidents?instanceId=${instanceId}`, { token })).body;
    expect(listed).toEqual([expect.objectContaining({ id: last.body.incidentId, jobId: job.id, elementId: 'call' })]);
    expect((await t.request('POST', `/api/incidents/${last.body.incidentId}/retry`)).status).toBe(401);

    failing = false;
    const retried = await t.request('POST', `/api/incidents/${last.body.incidentId}/retry`, { token, body: {} });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'active', jobId: job.id });
    await eventually(
      async () => {
        const jobs = await jobsOf();
        expect(jobs).toEqual([]);
        return jobs;
      },
      { message: 'the retried job to run', ...executorWait },
    );
    expect(answers.filter((status) => status === 204)).toHaveLength(1);
    const healed = (await t.request('GET', `/api/instances/${instanceId}`, { token })).body;
    expect(healed).toMatchObject({ status: 'active', incidents: [], activeElementIds: ['after'] });
    expect((await t.request('GET', `/api/incidents?instanceId=${instanceId}&includeResolved=true`, { token })).body[0].resolvedAt).toBeTruthy();
  });

  it('unknown ids answer 404', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    expect((await t.request('POST', '/api/jobs/00000000-0000-0000-0000-000000000000/execute', { token })).status).toBe(404);
    expect((await t.request('POST', '/api/jobs/not-a-uuid/execute', { token })).status).toBe(404);
    expect((await t.request('POST', '/api/incidents/00000000-0000-0000-0000-000000000000/retry', { token })).status).toBe(404);
  });
});
