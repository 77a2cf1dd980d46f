/**
 * Authorization matrix: every API route × anonymous / staff (wangwu, finance: not involved) /
 * member of the involved department (xiaoming, sales) / its head (zhaoliu) / admin × — where an
 * object belongs to someone — the caller's own and someone else's (zhangsan's, sales). The
 * expected answer of each cell is declared next to its route in test/helpers/fuzz/authzTable.ts;
 * the routes come from the running app's router, so a route added without a declaration fails
 * here. One server with the key-account template's demo org; cells run in parallel batches;
 * destructive routes get a fresh object per cell (test/helpers/fuzz/authzWorld.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHZ } from '../helpers/fuzz/authzTable.ts';
import { ROLES, runCell, World, type Role, type Whose } from '../helpers/fuzz/authzWorld.ts';
import { apiRoutes } from '../helpers/fuzz/routes.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const w = new World(t);
const BATCH = 24;

beforeAll(async () => {
  await w.setUp(await t.login('admin', TEST_ADMIN_PASSWORD), TEST_ADMIN_PASSWORD);
});

describe('authorization matrix of every route', () => {
  it('declares who may call every route of the running app', () => {
    const routes = apiRoutes(t.server.ctx);
    expect(routes.filter((route) => !AUTHZ[route]), 'routes without an authorization declaration in test/helpers/fuzz/authzTable.ts').toEqual([]);
    expect(Object.keys(AUTHZ).filter((route) => !routes.includes(route)), 'declarations of routes the app no longer serves').toEqual([]);
  });

  it("answers each role, on its own objects and on others', as declared", { timeout: 240_000 }, async () => {
    const cells: Array<{ route: string; role: Role; whose: Whose; expected: number }> = [];
    for (const [route, spec] of Object.entries(AUTHZ)) {
      for (const role of ROLES) {
        const expected = spec.expect[role];
        if (typeof expected === 'number') cells.push({ route, role, whose: 'other', expected });
        else for (const whose of ['own', 'other'] as const) if (role !== 'anon' || whose === 'other') cells.push({ route, role, whose, expected: expected[whose] });
      }
    }
    const wrong: string[] = [];
    // The login route goes last: each wrong password counts against this address's login limit.
    cells.sort((a, b) => Number(a.route === 'POST /api/auth/login') - Number(b.route === 'POST /api/auth/login'));
    for (let i = 0; i < cells.length; i += BATCH) {
      await Promise.all(
        cells.slice(i, i + BATCH).map(async (cell) => {
          const actual = await runCell(w, AUTHZ[cell.route]!, cell.route, cell.role, cell.whose).catch((error: Error) => ({ status: -1, detail: error.message }));
          if (actual.status !== cell.expected) wrong.push(`${cell.route} | ${cell.role} | ${cell.whose}: ${actual.status}, declared ${cell.expected} — ${actual.detail}`);
        }),
      );
    }
    console.log(`authorization matrix: ${cells.length} cells over ${Object.keys(AUTHZ).length} routes, ${wrong.length} not as declared`);
    // The list in full: vitest cuts a long array diff short.
    if (wrong.length > 0) console.log(wrong.sort().join('\n'));
    expect(wrong).toEqual([]);
  });
});
