/**
 * The key-account KPI board on the 20-customer demo: the template installs it, and every
 * widget's query — with the board's filter defaults applied as the browser applies them —
 * answers non-empty rows for the admin and for the Service head (孙七), whose department
 * filter (`$myDepartments`) and data permissions scope it to the Service department.
 * The figures are printed (the report quotes them).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

// The 20-customer demo is made at the server's first start through the engine's own commands:
// 30–60 s here while other suites ran, past vitest's default hook limit.
vi.setConfig({ hookTimeout: 300_000 });
const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true', LIUZHUAN_DEMO_CUSTOMERS: '20' });
let admin = '';
let head = '';

interface Widget {
  id: string;
  type: string;
  query?: { filters?: unknown[] } & Record<string, unknown>;
  filterFields?: Record<string, string>;
}
interface Board {
  filters: { id: string; kind: string; default?: unknown }[];
  widgets: Widget[];
}

/** The widget's query with the board's filters at their defaults (what the browser sends first). */
function withDefaults(board: Board, widget: Widget): Record<string, unknown> {
  const extra = board.filters.flatMap((filter) => {
    const field = widget.filterFields?.[filter.id];
    return field && filter.default !== undefined ? [{ field, op: 'eq', value: filter.default }] : [];
  });
  return { ...widget.query, filters: [...(widget.query?.filters ?? []), ...extra] };
}

/**
 * Every widget's answer; `denied` lists the widgets the viewer's permission groups keep from
 * them (a field they may not see: 422 naming it, as if it did not exist), each checked to be so.
 */
async function runBoard(token: string, denied: string[] = []): Promise<Record<string, { columns: { key: string; label: string }[]; rows: Record<string, unknown>[] }>> {
  const { status, body: board } = await t.request('GET', '/api/dashboards/key-account-kpi', { token });
  expect(status).toBe(200);
  const answers: Record<string, any> = {};
  for (const widget of (board as Board).widgets) {
    if (!widget.query) continue;
    const answer = await t.request('POST', '/api/charts/query', { token, body: withDefaults(board, widget) });
    if (denied.includes(widget.id)) {
      expect(answer.status, widget.id).toBe(422);
      expect(answer.body.error.message, widget.id).toMatch(/you may chart/);
      continue;
    }
    expect(answer.status, `${widget.id}: ${JSON.stringify(answer.body)}`).toBe(200);
    answers[widget.id] = answer.body;
  }
  return answers;
}

const total = (rows: Record<string, unknown>[], key = 'm0') => rows.reduce((sum, row) => sum + Number(row[key] ?? 0), 0);

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  head = await t.login('sunqi', 'demo123');
});

describe('the key-account KPI board', () => {
  let forAdmin: Awaited<ReturnType<typeof runBoard>>;

  it('is installed with the template and shared with everyone', async () => {
    const { body } = await t.request('GET', '/api/dashboards', { token: head });
    expect(body.items.map((item: { key: string }) => item.key)).toContain('key-account-kpi');
  });

  it('answers every widget with data for the admin', async () => {
    forAdmin = await runBoard(admin);
    const figures: Record<string, unknown> = {};
    for (const [id, answer] of Object.entries(forAdmin)) {
      expect(answer.rows.length, id).toBeGreaterThan(0);
      expect(answer.rows.some((row) => Object.entries(row).some(([key, value]) => key.startsWith('m') && value !== null)), id).toBe(true);
      figures[id] = answer.rows.length === 1 ? answer.rows[0] : answer.rows.slice(0, 6);
    }
    console.log('KPI board (admin, 20-customer demo):', JSON.stringify(figures));
    // Tiers A/B/C cover every customer (the 20 generated and the template's hand-written ones).
    const customers = await t.request('GET', '/api/forms/customer_profile/records?pageSize=1', { token: admin });
    expect(total(forAdmin.tiers!.rows)).toBe(customers.body.total);
    expect(forAdmin.tiers!.rows.map((row) => row.d0)).toEqual(['A', 'B', 'C']);
    const satisfaction = forAdmin.satisfaction!.rows[0]!;
    expect(Number(satisfaction.m0)).toBeGreaterThan(0);
    expect(Number(satisfaction.m0)).toBeLessThanOrEqual(100);
  });

  it('scopes the Service head\'s board to the Service department', async () => {
    // Contract amounts and installments are hidden from service staff (templates/key-account/permissions.json).
    const forHead = await runBoard(head, ['overdue-payments', 'overdue-by-customer', 'contract-funnel']);
    const figures: Record<string, unknown> = {};
    for (const [id, answer] of Object.entries(forHead)) figures[id] = answer.rows.length === 1 ? answer.rows[0] : answer.rows.slice(0, 6);
    console.log('KPI board (Service head sunqi):', JSON.stringify(figures));
    // Complaints by department: only Service's, and fewer than the whole company's.
    const byDepartment = forHead['complaints-by-department']!.rows;
    expect(byDepartment.length).toBeGreaterThan(0);
    expect(byDepartment.map((row) => row.d0)).toEqual(['service']);
    expect(total(forAdmin['complaints-by-department']!.rows.filter((row) => row.d0 !== 'service'))).toBeGreaterThan(0);
    expect(total(forHead['complaints-by-category']!.rows)).toBe(Number(byDepartment[0]!.m0));
    expect(total(forHead['complaints-by-category']!.rows)).toBeLessThan(total(forAdmin['complaints-by-category']!.rows));
    // Complaint-handling tasks: only Service's.
    expect(forHead['complaint-tasks']!.rows.length).toBeGreaterThan(0);
    expect(total(forHead['complaint-tasks']!.rows)).toBeLessThan(total(forAdmin['complaint-tasks']!.rows));
    const serviceTasks = await t.request('POST', '/api/charts/query', {
      token: admin,
      body: { source: { kind: 'tasks', definitionKey: 'complaint_handling' }, filters: [{ field: 'department', op: 'eq', value: 'service' }] },
    });
    expect(total(forHead['complaint-tasks']!.rows)).toBe(Number(serviceTasks.body.rows[0].m0));
  });
});
