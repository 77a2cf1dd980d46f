import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();

describe('GET /api/health', () => {
  it('reports the database reachable and the version', async () => {
    const { status, body } = await t.request('GET', '/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', version: expect.any(String), database: { reachable: true } });
  });

  it("reports this node's job executor and the due backlog, counts only", async () => {
    const { status, body } = await t.request('GET', '/api/health');
    expect(status).toBe(200);
    expect(body.executor).toMatchObject({ state: 'running', running: expect.any(Number), queued: expect.any(Number), maxConcurrency: 4 });
    // The executor looked for work at start.
    expect(Date.parse(body.executor.lastLeaseAt)).not.toBeNaN();
    expect(body.jobs).toEqual({ due: expect.any(Number), oldestDueLatenessMs: expect.any(Number) });
    expect(Object.keys(body.executor).sort()).toEqual(['lastLeaseAt', 'maxConcurrency', 'queued', 'running', 'state', 'wakeAt']);
  });

  it('answers unknown API routes with the error shape', async () => {
    const { status, body } = await t.request('GET', '/api/nope');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('answers 404, not 500, for a malformed id in a path', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    for (const path of ['/api/tasks/abc', '/api/instances/abc', '/api/instances/abc/history', '/api/definitions/abc/xml']) {
      const { status, body } = await t.request('GET', path, { token });
      expect(status, path).toBe(404);
      expect(body.error.code).toBe('not_found');
    }
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": ',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('bad_request');
  });
});
