/** The session cache's own rules (engine/identity/sessionCache.ts), without a database. */
import { describe, expect, it } from 'vitest';
import { createSessionCache } from '../../engine/identity/sessionCache.ts';
import type { AuthUser } from '../../engine/identity/types.ts';

const FAR = new Date(8.64e15);
const user = (id: string) => ({ id, username: id, roles: ['staff'] }) as unknown as AuthUser;
const session = (id: string, expiresAt = FAR) => ({ user: user(id), expiresAt });

function counted(answer: ReturnType<typeof session> | undefined) {
  const calls = { n: 0 };
  return { calls, load: async () => ((calls.n += 1), answer) };
}

describe('session cache', () => {
  it('keeps nothing until its invalidation channel is live, and nothing after it is lost', async () => {
    let now = 0;
    const cache = createSessionCache({ ttlMs: 1_000, now: () => now });
    const { calls, load } = counted(session('a'));
    await cache.lookup('h', load);
    await cache.lookup('h', load);
    expect(calls.n).toBe(2);
    cache.setLive(true);
    await cache.lookup('h', load);
    await cache.lookup('h', load);
    expect(calls.n).toBe(3);
    now = 1_001;
    await cache.lookup('h', load);
    expect(calls.n).toBe(4);
    cache.setLive(false);
    expect(cache.size).toBe(0);
    await cache.lookup('h', load);
    expect(calls.n).toBe(5);
  });

  it("keeps an answer no longer than the session's own end", async () => {
    let now = 0;
    const cache = createSessionCache({ ttlMs: 10_000, now: () => now });
    cache.setLive(true);
    const { calls, load } = counted(session('a', new Date(2_000)));
    await cache.lookup('h', load);
    now = 1_999;
    await cache.lookup('h', load);
    expect(calls.n).toBe(1);
    now = 2_000;
    await cache.lookup('h', load);
    expect(calls.n).toBe(2);
  });

  it('never keeps an unknown token', async () => {
    const cache = createSessionCache();
    cache.setLive(true);
    const { calls, load } = counted(undefined);
    await cache.lookup('nobody', load);
    await cache.lookup('nobody', load);
    expect(calls.n).toBe(2);
  });

  it('does not keep what a lookup read before an invalidation', async () => {
    const cache = createSessionCache();
    cache.setLive(true);
    let release!: () => void;
    const slow = cache.lookup('h', () => new Promise<ReturnType<typeof session>>((resolve) => (release = () => resolve(session('old')))));
    cache.invalidate();
    release();
    expect((await slow)?.id).toBe('old');
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = createSessionCache({ maxEntries: 2 });
    cache.setLive(true);
    for (const id of ['a', 'b', 'c']) await cache.lookup(id, async () => session(id));
    expect(cache.size).toBe(2);
    const { calls, load } = counted(session('a'));
    await cache.lookup('a', load);
    expect(calls.n).toBe(1);
  });
});
