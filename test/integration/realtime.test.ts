/**
 * socket.io on one node: who may connect, which rooms a socket sits in, and that each
 * domain event reaches exactly the people it names (assignee, department, role, starter).
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';
import { awaitSentinel, useSockets, type Received } from '../helpers/sockets.ts';

const t = useTestServer();
const clients = useSockets(() => t.url);
const connect = clients.connect;

/** socket.io-adapter's message types (MessageType). */
const INITIAL_HEARTBEAT = 1;
const HEARTBEAT = 2;
const BROADCAST = 3;

const event = (received: Received[], type: string, instanceId: string) =>
  received.find((item) => item.type === type && item.payload.instanceId === instanceId);

let admin: string;
const users: Record<string, { id: string; token: string }> = {};

async function createUser(username: string): Promise<void> {
  const created = await t.request('POST', '/api/users', {
    token: admin,
    body: { username, displayName: username, password: 'password-123', role: 'staff' },
  });
  expect(created.status).toBe(201);
  users[username] = { id: created.body.id, token: '' };
}

async function deployAndStart(key: string, taskAttributes: string, token = admin): Promise<string> {
  const xml = bpmn(`<process id="${key}" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="work" ${taskAttributes}/>
    <endEvent id="end"/>
    ${flow('start', 'work')}
    ${flow('work', 'end')}
  </process>`);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  const started = await t.request('POST', '/api/instances', { token, body: { definitionKey: key } });
  expect(started.status).toBe(201);
  return started.body.id;
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const name of ['alice', 'bob', 'carol']) await createUser(name);
  const department = await t.request('POST', '/api/departments', { token: admin, body: { code: 'claims', name: 'Claims' } });
  expect(department.status).toBe(201);
  const members = await t.request('PUT', `/api/departments/${department.body.id}/members`, {
    token: admin,
    body: { userIds: [users.carol!.id] },
  });
  expect(members.status).toBe(200);
  // Logged in after joining the department: a socket's rooms are fixed when it connects.
  for (const name of Object.keys(users)) users[name]!.token = await t.login(name, 'password-123');
});

describe('realtime (socket.io)', () => {
  it('refuses a connection without a valid token', async () => {
    for (const auth of [{}, { token: 'not-a-session' }, { cookie: 'lz_session=nope' }]) {
      await expect(connect(auth)).rejects.toThrow('unauthorized');
    }
  });

  it("sends task.assigned to the assignee's sockets and to nobody else", async () => {
    const alice = await connect({ token: users.alice!.token });
    // The session cookie works as well as auth.token.
    const bob = await connect({ cookie: `lz_session=${users.bob!.token}` });

    const forAlice = await deployAndStart('forAlice', 'camunda:assignee="alice"');
    const assigned = await eventually(() => event(alice.received, 'task.assigned', forAlice), { message: 'alice task.assigned' });
    expect(assigned.payload).toMatchObject({ instanceId: forAlice, elementId: 'work', assignee: 'alice', taskId: expect.any(String) });

    // Events to one socket arrive in order: once bob has his own task, alice's is not coming.
    const forBob = await deployAndStart('forBob', 'camunda:assignee="bob"');
    await eventually(() => event(bob.received, 'task.assigned', forBob), { message: 'bob task.assigned' });
    expect(bob.received.filter((item) => item.payload.instanceId === forAlice)).toEqual([]);
    // Likewise, once alice has a task started after bob's, bob's is not coming to her.
    await awaitSentinel(t, admin, 'alice', alice.received);
    expect(alice.received.filter((item) => item.payload.instanceId === forBob)).toEqual([]);
  });

  it("sends a department's tasks to its members, and task.updated when one is completed", async () => {
    const carol = await connect({ token: users.carol!.token });
    const alice = await connect({ token: users.alice!.token });
    const claims = await deployAndStart('claimsQueue', 'camunda:candidateGroups="claims"');
    const assigned = await eventually(() => event(carol.received, 'task.assigned', claims), { message: 'carol task.assigned' });
    expect(assigned.payload).toMatchObject({ candidateGroups: ['claims'], assignee: null });

    const done = await t.request('POST', `/api/tasks/${assigned.payload.taskId}/complete`, {
      token: users.carol!.token,
      body: { variables: {} },
    });
    expect(done.status).toBe(200);
    const updated = await eventually(() => event(carol.received, 'task.updated', claims), { message: 'carol task.updated' });
    expect(updated.payload).toMatchObject({ taskId: assigned.payload.taskId, status: 'completed' });

    await awaitSentinel(t, admin, 'alice', alice.received);
    expect(alice.received.filter((item) => item.payload.instanceId === claims)).toEqual([]);
  });

  it('sends a role-group task to every user of that role', async () => {
    const bob = await connect({ token: users.bob!.token });
    const carol = await connect({ token: users.carol!.token });
    const adminSocket = await connect({ token: admin });
    const staffTask = await deployAndStart('staffTask', 'camunda:candidateGroups="staff"');
    await eventually(() => event(bob.received, 'task.assigned', staffTask), { message: 'bob staff task' });
    await eventually(() => event(carol.received, 'task.assigned', staffTask), { message: 'carol staff task' });

    const adminTask = await deployAndStart('adminTask', 'camunda:candidateGroups="admin"');
    await eventually(() => event(adminSocket.received, 'task.assigned', adminTask), { message: 'admin task' });
    expect(adminSocket.received.filter((item) => item.type === 'task.assigned' && item.payload.instanceId === staffTask)).toEqual([]);
  });

  it("survives losing the adapter's LISTEN connection and listens again", async () => {
    const listeners = async (): Promise<number[]> =>
      (
        await t.server.ctx.db.raw(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN "socket.io#%'`,
        )
      ).rows.map((row: { pid: number }) => row.pid);
    const [before] = await eventually(
      async () => {
        const now = await listeners();
        expect(now).toHaveLength(1);
        return now;
      },
      { message: 'the LISTEN connection' },
    );
    await t.server.ctx.db.raw('SELECT pg_terminate_backend(?)', [before]);
    // The adapter reconnects after 1–3 s; the node must neither crash nor leak the old connection.
    await eventually(
      async () => {
        const now = await listeners();
        expect(now).toHaveLength(1);
        expect(now[0]).not.toBe(before);
        return true;
      },
      { message: 'a new LISTEN connection' },
    );
    const alice = await connect({ token: users.alice!.token });
    const after = await deployAndStart('afterReconnect', 'camunda:assignee="alice"');
    await eventually(() => event(alice.received, 'task.assigned', after), { message: 'alice task.assigned' });
  });

  it('publishes a broadcast through PostgreSQL only while another node is known, and delivers it locally either way', async () => {
    // Listen on the adapter's channel as a second node would, without being one (no heartbeat).
    const listener = new pg.Client({ connectionString: t.databaseUrl });
    const published: number[] = [];
    await listener.connect();
    try {
      listener.on('notification', (message) => published.push((JSON.parse(message.payload ?? '{}') as { type: number }).type));
      await listener.query('LISTEN "socket.io#/"');
      const alice = await connect({ token: users.alice!.token });
      const alone = await deployAndStart('aloneBroadcast', 'camunda:assignee="alice"');
      await eventually(() => event(alice.received, 'task.assigned', alone), { message: 'alice task.assigned on a single node' });
      expect(published.filter((type) => type === BROADCAST)).toEqual([]);

      // Another node says hello (its first heartbeat): from now on broadcasts go out for it too.
      await listener.query(`SELECT pg_notify('socket.io#/', $1)`, [JSON.stringify({ uid: 'another-node', nsp: '/', type: INITIAL_HEARTBEAT })]);
      await eventually(() => published.includes(HEARTBEAT) || undefined, { message: "the node's answer to the new node's heartbeat" });
      const shared = await deployAndStart('sharedBroadcast', 'camunda:assignee="alice"');
      await eventually(() => event(alice.received, 'task.assigned', shared), { message: 'alice task.assigned with two nodes' });
      await eventually(() => published.includes(BROADCAST) || undefined, { message: 'the broadcast published for the other node' });
    } finally {
      await listener.end();
    }
  });

  it('sends instance.updated to the user who started the instance', async () => {
    const alice = await connect({ token: users.alice!.token });
    const bob = await connect({ token: users.bob!.token });
    const mine = await deployAndStart('startedByAlice', 'camunda:assignee="bob"', users.alice!.token);
    const update = await eventually(() => event(alice.received, 'instance.updated', mine), { message: 'alice instance.updated' });
    expect(update.payload).toMatchObject({ instanceId: mine, status: 'active' });

    const [task] = (await t.request('GET', `/api/tasks?instanceId=${mine}`, { token: admin })).body;
    expect((await t.request('POST', `/api/tasks/${task.id}/complete`, { token: users.bob!.token, body: { variables: {} } })).status).toBe(200);
    await eventually(
      () => alice.received.find((item) => item.type === 'instance.updated' && item.payload.instanceId === mine && item.payload.status === 'completed'),
      { message: 'alice completed' },
    );
    // Bob worked on it but did not start it: he hears about his task, not the instance.
    await awaitSentinel(t, admin, 'bob', bob.received);
    expect(bob.received.filter((item) => item.type === 'instance.updated')).toEqual([]);
  });

  it('tells admins, and only them besides the starter, that an instance has an incident', async () => {
    const adminSocket = await connect({ token: admin });
    const alice = await connect({ token: users.alice!.token });
    const bob = await connect({ token: users.bob!.token });
    // A timer leads to a gateway no condition leaves: the job-triggered step becomes an incident.
    const xml = bpmn(`<process id="stuck" isExecutable="true">
      <startEvent id="start"/>
      <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <exclusiveGateway id="gw"/>
      <endEvent id="end"/>
      ${flow('start', 'wait')}${flow('wait', 'gw')}
      <sequenceFlow id="gw-end" sourceRef="gw" targetRef="end"><conditionExpression xsi:type="tFormalExpression">false</conditionExpression></sequenceFlow>
    </process>`);
    expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
    const started = await t.request('POST', '/api/instances', { token: users.alice!.token, body: { definitionKey: 'stuck' } });
    const [job] = (await t.request('GET', `/api/jobs?instanceId=${started.body.id}`, { token: admin })).body;
    // Each run is a counted attempt; the last retry turns the failure into an incident.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await t.request('POST', `/api/jobs/${job.id}/execute`, { token: admin });
      if ((await t.request('GET', `/api/instances/${started.body.id}`, { token: admin })).body.status === 'incident') break;
    }
    const isIncident = (item: Received) => item.type === 'instance.updated' && item.payload.instanceId === started.body.id && item.payload.status === 'incident';
    await eventually(() => adminSocket.received.find(isIncident), { message: 'admin incident' });
    await eventually(() => alice.received.find(isIncident), { message: 'alice incident' });
    await awaitSentinel(t, admin, 'bob', bob.received);
    expect(bob.received.filter(isIncident)).toEqual([]);
  });
});
