/**
 * Real socket.io clients for tests: connect as a user and record every event (wait for one
 * with `eventually`), and a sentinel event to prove that nothing else is on its way.
 */
import { afterAll } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';
import { bpmn, flow } from './engine.ts';
import { eventually } from './eventually.ts';
import type { TestServer } from './server.ts';

export interface Received {
  type: string;
  payload: Record<string, any>;
}

export interface ConnectedSocket {
  socket: Socket;
  received: Received[];
}

/** Opens sockets for this file and disconnects them all after it. */
export function useSockets(url: () => string) {
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.disconnect();
  });
  return {
    /**
     * Connects with a bearer token or a session cookie (sending `origin` as a browser page
     * would); rejects when the server refuses.
     */
    async connect(auth: { token?: string; cookie?: string; origin?: string }): Promise<ConnectedSocket> {
      const socket = connectClient(url(), {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        auth: auth.token ? { token: auth.token } : {},
        extraHeaders: { ...(auth.cookie ? { cookie: auth.cookie } : {}), ...(auth.origin ? { origin: auth.origin } : {}) },
      });
      sockets.push(socket);
      const received: Received[] = [];
      socket.onAny((type: string, payload: Record<string, any>) => received.push({ type, payload }));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return { socket, received };
    },
  };
}

const SENTINEL_PROCESS = 'socketSentinel';
const sentinelDeployed = new WeakMap<TestServer, Promise<void>>();

/**
 * Lets a test assert that a socket did NOT receive something, without sleeping. The relay
 * sends each socket its events in publish order, so: call this after the action under test
 * (and after waiting for whatever it did send), and once the sentinel has arrived, every
 * event published before it is in `received` too. The sentinel is the `task.assigned` of a
 * one-task process an admin starts for `username` (it leaves that task open).
 */
export async function awaitSentinel(t: TestServer, adminToken: string, username: string, received: Received[]): Promise<void> {
  if (!sentinelDeployed.has(t)) sentinelDeployed.set(t, deploySentinel(t, adminToken));
  await sentinelDeployed.get(t);
  const started = await t.request('POST', '/api/instances', {
    token: adminToken,
    body: { definitionKey: SENTINEL_PROCESS, variables: { who: username } },
  });
  if (started.status !== 201) throw new Error(`could not start the sentinel: ${started.status} ${JSON.stringify(started.body)}`);
  const instanceId = started.body.id as string;
  await eventually(() => received.find((event) => event.type === 'task.assigned' && event.payload.instanceId === instanceId), {
    message: `the sentinel task.assigned on ${username}'s socket`,
  });
}

async function deploySentinel(t: TestServer, adminToken: string): Promise<void> {
  const xml = bpmn(`<process id="${SENTINEL_PROCESS}" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="sentinel" name="Sentinel" camunda:assignee="\${who}"/>
    ${flow('start', 'sentinel')}
  </process>`);
  const deployed = await t.request('POST', '/api/definitions', { token: adminToken, body: { xml } });
  if (deployed.status !== 201) throw new Error(`could not deploy the sentinel: ${deployed.status} ${JSON.stringify(deployed.body)}`);
}
