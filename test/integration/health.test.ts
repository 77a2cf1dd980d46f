import { describe, expect, it } from 'vitest';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();

describe('GET /api/health', () => {
  it('reports the database reachable and the version', async () => {
    const { status, body } = await t.request('GET', '/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', version: expect.any(String), database: { reachable: true } });
  });

  it('answers unknown API routes with the error shape', async () => {
    const { status, body } = await t.request('GET', '/api/nope');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
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
