/**
 * 32 concurrent clients over HTTP against a process whose user task is bound to a form (the
 * task data is validated against the form inside the completing transaction), on the default
 * pool of 10 connections. No request may fail with 500; a saturated pool answers 503 `busy`
 * with Retry-After (then the client tries again), and every instance gets through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

// The default pool size; a short acquire timeout so a deadlocked pool shows within the test.
const t = useTestServer({}, { acquireTimeoutMs: 5_000 });
const CLIENTS = 32;
const ROUNDS = 2;
let admin: string;

const process = bpmn(`<process id="formFirst" isExecutable="true">
  <startEvent id="s"/>
  <userTask id="fill" camunda:assignee="admin" camunda:formKey="order"/>
  <endEvent id="e"/>
  ${flow('s', 'fill')}${flow('fill', 'e')}
</process>`);

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
}

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const schema = {
    type: 'object',
    required: ['customer', 'quantity'],
    properties: { customer: { type: 'string', minLength: 1 }, quantity: { type: 'integer', minimum: 1 } },
  };
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'order', title: '订单', schema } })).status).toBe(201);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml: process } })).status).toBe(201);
});

describe('32 concurrent clients on a form-bound task process', () => {
  it('answer only 2xx, 409 or 503 with Retry-After, and every instance completes', async () => {
    const answers: Answer[] = [];
    /** One step of a client: tries again after a 503/409, a few times at most. */
    const step = async (method: string, path: string, body?: unknown): Promise<Answer> => {
      for (let attempt = 1; ; attempt++) {
        const answer = await call(method, path, body);
        answers.push(answer);
        const retryable = answer.status === 503 || answer.status === 409;
        if (!retryable || attempt === 3) return answer;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    // Each round, every client starts an instance, lists its task, then all complete at once:
    // 32 completing transactions, each validating the form data, on 10 connections.
    const completed: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const taskIds = await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const started = await step('POST', '/api/instances', { definitionKey: 'formFirst' });
          if (started.status !== 201) return null;
          const tasks = await step('GET', `/api/tasks?instanceId=${started.body.id}`);
          return tasks.status === 200 && tasks.body.length === 1 ? { instanceId: started.body.id as string, taskId: tasks.body[0].id as string } : null;
        }),
      );
      await Promise.all(
        taskIds.map(async (ids, n) => {
          if (!ids) return;
          const done = await step('POST', `/api/tasks/${ids.taskId}/complete`, { variables: { customer: `client ${n}`, quantity: round + 1 } });
          if (done.status === 200) completed.push(ids.instanceId);
        }),
      );
    }

    const unexpected = answers.filter(
      (answer) => !((answer.status >= 200 && answer.status < 300) || answer.status === 409 || (answer.status === 503 && answer.retryAfter)),
    );
    expect(unexpected.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual([]);
    for (const busy of answers.filter((answer) => answer.status === 503)) expect(busy.body.error.code).toBe('busy');
    expect(completed).toHaveLength(CLIENTS * ROUNDS);
    const finished = await t.server.ctx.db('process_instances').whereIn('id', completed).where({ status: 'completed' }).count({ n: '*' });
    expect(Number(finished[0]!.n)).toBe(CLIENTS * ROUNDS);
  }, 240_000);
});
