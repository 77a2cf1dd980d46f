/**
 * Same-site request forgery (issue #10, finding 9): a page on another port of this host could
 * approve a task with the victim's session cookie (a text/plain form POST) and open a
 * WebSocket that received the victim's events. Cookie-authenticated writes now need the
 * X-Requested-With header and our own Origin, bodies must be JSON, and a cookie handshake
 * from a foreign Origin is refused; bearer tokens are unaffected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';
import { useSockets } from '../helpers/sockets.ts';

const t = useTestServer();
const sockets = useSockets(() => t.url);

let admin: string;
let victimToken: string;
let victimCookie: string;

/** The attacker's page: same host, another port. */
const FOREIGN_ORIGIN = 'http://127.0.0.1:1';
const ownOrigin = () => new URL(t.url).origin;

async function openTaskForVictim(key: string): Promise<{ instanceId: string; taskId: string }> {
  const xml = bpmn(`<process id="${key}" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="approve" name="Approve" camunda:assignee="victim"/>
    <endEvent id="end"/>
    ${flow('start', 'approve')}
    ${flow('approve', 'end')}
  </process>`);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  const started = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: key } });
  expect(started.status).toBe(201);
  const tasks = await t.request('GET', `/api/tasks?instanceId=${started.body.id}`, { token: admin });
  return { instanceId: started.body.id, taskId: tasks.body[0].id };
}

async function taskIsOpen(instanceId: string): Promise<boolean> {
  const tasks = await t.request('GET', `/api/tasks?instanceId=${instanceId}`, { token: admin });
  return tasks.body.length === 1;
}

/** A request as the victim's browser sends it: the cookie, plus whatever the page could add. */
function withCookie(path: string, init: { body: string; headers: Record<string, string> }) {
  return fetch(`${t.url}${path}`, { method: 'POST', body: init.body, headers: { cookie: victimCookie, ...init.headers } });
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const created = await t.request('POST', '/api/users', {
    token: admin,
    body: { username: 'victim', displayName: 'Victim', password: 'victim-password' },
  });
  expect(created.status).toBe(201);
  // Logged in as the designer does: JSON, our own Origin, no cookie yet.
  const login = await fetch(`${t.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ownOrigin(), 'x-requested-with': 'liuzhuan' },
    body: JSON.stringify({ username: 'victim', password: 'victim-password' }),
  });
  expect(login.status).toBe(200);
  victimToken = ((await login.json()) as { token: string }).token;
  victimCookie = login.headers.get('set-cookie')!.split(';')[0]!;
});

describe('cookie-authenticated writes (CSRF)', () => {
  it('refuses the text/plain form POST of another page with 415, and the task stays open', async () => {
    const { instanceId, taskId } = await openTaskForVictim('csrfPlain');
    const response = await withCookie(`/api/tasks/${taskId}/approve`, {
      body: '{"variables":{}}',
      headers: { 'content-type': 'text/plain', origin: FOREIGN_ORIGIN },
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as any).error.code).toBe('unsupported_media_type');
    expect(await taskIsOpen(instanceId)).toBe(true);
  });

  it('refuses a cookie write without X-Requested-With with 403, even from our own origin', async () => {
    const { instanceId, taskId } = await openTaskForVictim('csrfNoHeader');
    const variants: Record<string, string>[] = [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', origin: ownOrigin() }];
    for (const headers of variants) {
      const response = await withCookie(`/api/tasks/${taskId}/approve`, { body: '{}', headers });
      expect(response.status).toBe(403);
      expect(((await response.json()) as any).error.code).toBe('csrf_header_required');
    }
    // An empty POST (no body at all) is a write too.
    const empty = await fetch(`${t.url}/api/tasks/${taskId}/claim`, { method: 'POST', headers: { cookie: victimCookie } });
    expect(empty.status).toBe(403);
    expect(await taskIsOpen(instanceId)).toBe(true);
  });

  it('refuses a cookie write from a foreign Origin with 403, header or not', async () => {
    const { instanceId, taskId } = await openTaskForVictim('csrfOrigin');
    const response = await withCookie(`/api/tasks/${taskId}/approve`, {
      body: '{}',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'liuzhuan', origin: FOREIGN_ORIGIN },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe('cross_origin');
    // Not even a login from there.
    const login = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: FOREIGN_ORIGIN },
      body: JSON.stringify({ username: 'victim', password: 'victim-password' }),
    });
    expect(login.status).toBe(403);
    expect(await taskIsOpen(instanceId)).toBe(true);
  });

  it('accepts the designer’s cookie write: JSON, X-Requested-With and our own Origin', async () => {
    const { instanceId, taskId } = await openTaskForVictim('csrfDesigner');
    const response = await withCookie(`/api/tasks/${taskId}/approve`, {
      body: '{}',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'liuzhuan', origin: ownOrigin() },
    });
    expect(response.status).toBe(200);
    expect(await taskIsOpen(instanceId)).toBe(false);
  });

  it('leaves bearer-token clients alone: no header, no Origin needed', async () => {
    const { instanceId, taskId } = await openTaskForVictim('csrfBearer');
    const response = await t.request('POST', `/api/tasks/${taskId}/approve`, { token: victimToken, body: {} });
    expect(response.status).toBe(200);
    expect(await taskIsOpen(instanceId)).toBe(false);
  });

  it('reads with the cookie need nothing extra', async () => {
    const me = await fetch(`${t.url}/api/auth/me`, { headers: { cookie: victimCookie, origin: FOREIGN_ORIGIN } });
    expect(me.status).toBe(200);
  });
});

describe('socket.io handshake with the session cookie', () => {
  it('refuses a cookie connection from a foreign Origin', async () => {
    await expect(sockets.connect({ cookie: victimCookie, origin: FOREIGN_ORIGIN })).rejects.toThrow('forbidden_origin');
  });

  it('accepts a cookie connection from our own Origin, which then receives its events', async () => {
    const own = await sockets.connect({ cookie: victimCookie, origin: ownOrigin() });
    const { instanceId } = await openTaskForVictim('csrfSocket');
    await eventually(
      () => own.received.find((event) => event.type === 'task.assigned' && event.payload.instanceId === instanceId),
      { message: 'task.assigned' },
    );
  });

  it('accepts auth.token from any Origin: a foreign page cannot know the token', async () => {
    await expect(sockets.connect({ token: victimToken, origin: FOREIGN_ORIGIN })).resolves.toBeTruthy();
  });
});
