/**
 * App packages (engine/packages/, server/routes/appPackages.ts) over real HTTP and PostgreSQL:
 * the key-account app exported from a server that installed its template, imported into a
 * server on an empty database (its departments created there first) and run; bad packages
 * refused with 422 naming the problem and nothing changed; a re-import of an exported package
 * with an admin's change shown as a change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { packageFromTemplate } from '../../engine/packages/fromTemplate.ts';
import { TEST_ADMIN_PASSWORD, useTestServer, type TestServer } from '../helpers/server.ts';

// The expression budget is not under test here: on a loaded machine the first FEEL evaluation
// of a fresh process can pass the default 150 ms and refuse a submission.
const source = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const target = useTestServer();
let sourceToken = '';
let targetToken = '';
let exported: any;
/** The complaint instance started on the target after the import (waits at `resolve`). */
let runningInstanceId = '';

const COUNTED = ['forms', 'form_versions', 'process_definitions', 'routing_rules', 'automations', 'message_templates', 'print_templates', 'dashboards', 'records', 'app_packages'];

/** Row counts of what an import writes, read through the server's own pool. */
async function counts(server: TestServer): Promise<Record<string, number>> {
  const db = server.server.ctx.db;
  const result: Record<string, number> = {};
  for (const table of COUNTED) result[table] = Number((await db(table).count('* as n'))[0]!.n);
  return result;
}

async function upload(server: TestServer, token: string, path: string, text: string) {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'application/json' }), 'app.lzapp.json');
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  sourceToken = await source.login('admin', TEST_ADMIN_PASSWORD);
  targetToken = await target.login('admin', TEST_ADMIN_PASSWORD);
});

describe('export', () => {
  it('downloads the installed key-account app as one file with every part', async () => {
    const response = await fetch(`${source.url}/api/apps/key-account/package?records=true`, { headers: { authorization: `Bearer ${sourceToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="key-account-1.0.0.lzapp.json"');
    exported = await response.json();
    expect(exported).toMatchObject({ format: 'liuzhuan-app', formatVersion: 1, app: { key: 'key-account', version: '1.0.0', name: { 'zh-CN': '大客户管理' } } });
    expect(exported.forms.map((form: any) => form.key)).toEqual([
      'customer_profile', 'visit_record', 'complaint', 'revisit_plan', 'satisfaction_survey', 'contract', 'complaint_confirmation', 'payment_record', 'improvement',
    ]);
    expect(exported.workflows.map((w: any) => w.processId).sort()).toEqual(['complaint_handling', 'contract_approval', 'feedback_loop', 'revisit']);
    expect(exported.routing.complaint).toEqual({
      defaultDepartment: 'service',
      rules: [
        expect.objectContaining({ name: '账单问题 → 财务部', department: 'finance', enabled: true }),
        expect.objectContaining({ name: '质量与交付 → 客服部', department: 'service' }),
      ],
    });
    expect(exported.automations.map((a: any) => a.name)).toContain('回款登记后结束该期回款等待');
    expect(exported.messageTemplates.map((t: any) => t.key)).toEqual(expect.arrayContaining(['complaint_received', 'task_due', 'revisit_due']));
    expect(exported.printTemplates.map((t: any) => t.key)).toEqual(['complaint_card']);
    expect(exported.dashboards.map((d: any) => d.key)).toEqual(['key-account-kpi']);
    expect(exported.permissions.roles.length).toBeGreaterThan(0);
    expect(exported.records.customer_profile.length).toBeGreaterThan(0);
  });

  it('builds the template as a package equal to what the bootstrap installed', async () => {
    // The same file through the package importer would change nothing on a server the bootstrap set up.
    const preview = await source.request('POST', '/api/apps/packages/preview', { token: sourceToken, body: packageFromTemplate('key-account') });
    expect(preview.status, JSON.stringify(preview.body).slice(0, 300)).toBe(200);
    expect(preview.body).toMatchObject({ mode: 'reinstall', installedVersion: '1.0.0', merge: { conflicts: [] } });
    const changed = ['forms', 'workflows', 'routing', 'automations', 'messageTemplates', 'printTemplates', 'dashboards'].flatMap((part) =>
      preview.body.diff[part].filter((item: any) => item.status !== 'unchanged').map((item: any) => `${part}/${item.key}`),
    );
    expect(changed).toEqual([]);
  });

  it('is for admins, and names an unknown app', async () => {
    expect((await source.request('GET', '/api/apps/key-account/package')).status).toBe(401);
    expect((await source.request('GET', '/api/apps/no-such-app/package', { token: sourceToken })).status).toBe(404);
    expect((await source.request('GET', '/api/apps/key-account/package?records=maybe', { token: sourceToken })).status).toBe(422);
  });
});

describe('import into an empty database', () => {
  it('refuses bad packages with 422 naming the problem, and changes nothing', async () => {
    const before = await counts(target);
    const bad: [string, unknown, RegExp][] = [
      ['wrong format', { ...exported, format: 'something-else' }, /\/format/],
      ['newer format version', { ...exported, formatVersion: 2 }, /\/formatVersion/],
      ['schema-invalid form', { ...exported, forms: exported.forms.map((f: any, i: number) => (i === 2 ? { ...f, schema: { type: 'object', properties: { x: { type: 'nonsense' } } } } : f)) }, /\/forms\/2/],
      ['BPMN that does not parse', { ...exported, workflows: exported.workflows.map((w: any, i: number) => (i === 0 ? { ...w, xml: '<definitions><process' } : w)) }, /\/workflows\/0/],
      ['unknown department in routing', exported, /\/routing\/complaint\/defaultDepartment/],
      ['duplicate form key', { ...exported, forms: [...exported.forms, exported.forms[0]] }, /\/forms\/9/],
    ];
    for (const [what, pkg, pointer] of bad) {
      const { status, body } = await upload(target, targetToken, '/api/apps/packages/import', JSON.stringify(pkg));
      expect(status, `${what}: ${JSON.stringify(body).slice(0, 300)}`).toBe(422);
      expect(body.error.message, what).toMatch(pointer);
      // The preview refuses the same file the same way.
      expect((await upload(target, targetToken, '/api/apps/packages/preview', JSON.stringify(pkg))).status, what).toBe(422);
    }
    const huge = await upload(target, targetToken, '/api/apps/packages/import', JSON.stringify({ ...exported, padding: 'x'.repeat(21 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    const notJson = await upload(target, targetToken, '/api/apps/packages/import', '{"format": "liuzhuan-app",');
    expect(notJson.status).toBe(422);
    expect(notJson.body.error.message).toMatch(/not JSON/);
    expect(await counts(target)).toEqual(before);
  });

  it('previews, imports and runs the app', async () => {
    // The organisation the package names by code: departments with a head each.
    const heads: Record<string, string> = {};
    for (const code of ['sales', 'service', 'finance', 'legal', 'management']) {
      const user = await target.request('POST', '/api/users', { token: targetToken, body: { username: `head-${code}`, displayName: `Head ${code}`, password: 'Long-enough-pass-42!' } });
      expect(user.status, JSON.stringify(user.body)).toBe(201);
      const department = await target.request('POST', '/api/departments', { token: targetToken, body: { code, name: code, headUserId: user.body.id } });
      expect(department.status, JSON.stringify(department.body)).toBe(201);
      heads[code] = department.body.id;
      const members = await target.request('PUT', `/api/departments/${department.body.id}/members`, { token: targetToken, body: { userIds: [user.body.id] } });
      expect(members.status, JSON.stringify(members.body)).toBe(200);
    }
    const before = await counts(target);
    const preview = await upload(target, targetToken, '/api/apps/packages/preview', JSON.stringify(exported));
    expect(preview.status, JSON.stringify(preview.body).slice(0, 500)).toBe(200);
    expect(preview.body).toMatchObject({ mode: 'install', installedVersion: null, app: { key: 'key-account' } });
    expect(preview.body.diff.forms.every((form: any) => form.status === 'new')).toBe(true);
    expect(preview.body.diff.workflows).toHaveLength(4);
    expect(preview.body.diff.records.customer_profile).toBe(exported.records.customer_profile.length);
    expect(preview.body.outcome.applied).toMatchObject({ forms: 9, workflows: 4, routing: 1, dashboards: 1 });
    // The preview wrote nothing.
    expect(await counts(target)).toEqual(before);

    const imported = await upload(target, targetToken, '/api/apps/packages/import', JSON.stringify(exported));
    expect(imported.status, JSON.stringify(imported.body).slice(0, 500)).toBe(201);
    const after = await counts(target);
    expect(after.forms - before.forms).toBe(9);
    expect(after.process_definitions - before.process_definitions).toBe(4);
    expect(after.app_packages - before.app_packages).toBe(1);
    const recordCount = Object.values(exported.records as Record<string, unknown[]>).reduce((n, list) => n + list.length, 0);
    expect(after.records - before.records).toBe(recordCount);

    // The app is listed like an installed template, and runs: a billing complaint goes to finance.
    const submitted = await target.request('POST', '/api/forms/complaint/submit', {
      token: targetToken,
      body: { data: { customer: '华东精密制造有限公司', category: 'billing', severity: 'medium', description: '发票金额不符' } },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    expect(submitted.body.instance.definitionKey).toBe('complaint_handling');
    const instanceId = submitted.body.instance.id;
    runningInstanceId = instanceId;
    const tasks = (await target.request('GET', `/api/tasks?instanceId=${instanceId}`, { token: targetToken })).body;
    expect(tasks.map((task: any) => task.elementId)).toEqual(['respond']);
    // Routed by the imported rule to finance, whose one member gets it.
    expect(tasks[0].assignee, JSON.stringify(tasks[0])).toBe('head-finance');
    const done = await target.request('POST', `/api/tasks/${tasks[0].id}/submit`, { token: targetToken, body: { variables: { first_response: '已致电客户' } } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const next = (await target.request('GET', `/api/tasks?instanceId=${instanceId}`, { token: targetToken })).body;
    expect(next.map((task: any) => task.elementId)).toEqual(['resolve']);

    // Importing the same file again changes nothing but adds its records again.
    const again = await upload(target, targetToken, '/api/apps/packages/preview', JSON.stringify({ ...exported, records: undefined }));
    expect(again.status).toBe(200);
    expect(again.body.mode).toBe('reinstall');
    const statuses = new Set([...again.body.diff.forms, ...again.body.diff.workflows, ...again.body.diff.automations, ...again.body.diff.dashboards, ...again.body.diff.routing].map((part: any) => part.status));
    expect([...statuses], JSON.stringify(again.body.diff)).toEqual(['unchanged']);
  });

  it('an admin change on the source shows as a change in the target preview', async () => {
    const complaint = exported.forms.find((form: any) => form.key === 'complaint');
    const schema = structuredClone(complaint.schema);
    schema.properties.channel_note = { type: 'string', title: '渠道备注' };
    const saved = await source.request('POST', '/api/forms', { token: sourceToken, body: { key: 'complaint', title: complaint.title, schema, uiSchema: complaint.uiSchema } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const response = await fetch(`${source.url}/api/apps/key-account/package`, { headers: { authorization: `Bearer ${sourceToken}` } });
    const changed = await response.json();
    expect(changed.records).toBeUndefined();
    const preview = await upload(target, targetToken, '/api/apps/packages/preview', JSON.stringify({ ...changed, app: { ...changed.app, version: '1.1.0' } }));
    expect(preview.status).toBe(200);
    expect(preview.body.mode).toBe('upgrade');
    expect(preview.body.diff.forms.find((form: any) => form.key === 'complaint')).toMatchObject({ status: 'changed', fieldsAdded: ['channel_note'], fieldsRemoved: [], installedVersion: expect.any(Number) });
    expect(preview.body.diff.forms.filter((form: any) => form.status !== 'unchanged'), JSON.stringify(preview.body.diff.forms)).toHaveLength(1);
  });
});

describe('an app that is no template', () => {
  it('is listed on the apps page once imported, and exports from what its package installed', async () => {
    const mini = {
      format: 'liuzhuan-app',
      formatVersion: 1,
      app: { key: 'mini-crm', name: { 'zh-CN': '小型客户管理', en: 'Mini CRM' }, version: '0.1.0' },
      exportedAt: new Date().toISOString(),
      forms: [{ key: 'mini_lead', title: '线索', schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', title: '名称' } } }, uiSchema: {} }],
      workflows: [],
      routing: {},
      automations: [],
      messageTemplates: [],
      printTemplates: [{ key: 'mini_lead_card', formKey: 'mini_lead', title: '线索卡', body: '<h1>{{name}}</h1>' }],
      dashboards: [],
      records: { mini_lead: [{ name: '华东' }, { name: '北辰' }] },
    };
    const imported = await target.request('POST', '/api/apps/packages/import', { token: targetToken, body: mini });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const apps = (await target.request('GET', '/api/apps', { token: targetToken })).body;
    expect(apps.find((app: any) => app.key === 'mini-crm')).toMatchObject({
      title: { en: 'Mini CRM' },
      forms: [expect.objectContaining({ key: 'mini_lead', recordCount: 2, version: 1 })],
      printTemplates: [expect.objectContaining({ key: 'mini_lead_card' })],
    });
    const exportedMini = (await target.request('GET', '/api/apps/mini-crm/package?records=true', { token: targetToken })).body;
    expect(exportedMini).toMatchObject({ app: { key: 'mini-crm', version: '0.1.0' }, forms: [expect.objectContaining({ key: 'mini_lead' })], printTemplates: [expect.objectContaining({ key: 'mini_lead_card' })] });
    expect(exportedMini.records.mini_lead.map((r: any) => r.name).sort()).toEqual(['北辰', '华东']);
  });
});

describe('upgrade: three-way merge of the installed package, the admin\'s edits and the new package', () => {
  it('merges the admin\'s and the package\'s changes, asks about the conflict, keeps running instances and offers their migration', async () => {
    // The admin's own change on the target: a field added, the description's length changed.
    const installed = (await target.request('GET', '/api/forms/complaint', { token: targetToken })).body;
    const ours = structuredClone(installed.schema);
    ours.properties.admin_note = { type: 'string', title: '内部备注' };
    ours.properties.description.maxLength = 2000;
    const saved = await target.request('POST', '/api/forms', { token: targetToken, body: { key: 'complaint', title: installed.title, schema: ours, uiSchema: installed.uiSchema } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);

    // The publisher's 1.1.0: another field, the same length changed differently, the process renamed.
    const v2 = structuredClone({ ...exported, records: undefined, app: { ...exported.app, version: '1.1.0' } });
    const complaint = v2.forms.find((form: any) => form.key === 'complaint');
    complaint.schema.properties.package_note = { type: 'string', title: '回访备注' };
    complaint.schema.properties.description.maxLength = 8000;
    const flow = v2.workflows.find((w: any) => w.processId === 'complaint_handling');
    flow.xml = flow.xml.replace('<process id="complaint_handling" name="投诉处理"', '<process id="complaint_handling" name="投诉处理（新版）"');

    const preview = await upload(target, targetToken, '/api/apps/packages/preview', JSON.stringify(v2));
    expect(preview.status, JSON.stringify(preview.body).slice(0, 500)).toBe(200);
    expect(preview.body).toMatchObject({ mode: 'upgrade', installedVersion: '1.0.0' });
    expect(preview.body.merge.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ part: 'form', key: 'complaint', path: 'admin_note', kind: 'ours' }),
        expect.objectContaining({ part: 'form', key: 'complaint', path: 'package_note', kind: 'theirs' }),
      ]),
    );
    expect(preview.body.merge.conflicts).toHaveLength(1);
    const [conflict] = preview.body.merge.conflicts;
    expect(conflict).toMatchObject({ part: 'form', key: 'complaint', path: 'description' });
    expect(preview.body.diff.workflows.find((w: any) => w.key === 'complaint_handling').status).toBe('changed');

    // Without a choice for the conflict the import is refused, and nothing changes.
    const before = await counts(target);
    const undecided = await upload(target, targetToken, '/api/apps/packages/import', JSON.stringify(v2));
    expect(undecided.status).toBe(422);
    expect(undecided.body.error.code).toBe('merge_unresolved');
    expect(await counts(target)).toEqual(before);

    // The admin takes the package's length: both new fields are kept.
    const imported = await target.request('POST', '/api/apps/packages/import', { token: targetToken, body: { package: v2, resolutions: { [conflict.id]: 'theirs' } } });
    expect(imported.status, JSON.stringify(imported.body).slice(0, 500)).toBe(201);
    const merged = (await target.request('GET', '/api/forms/complaint', { token: targetToken })).body;
    expect(Object.keys(merged.schema.properties)).toEqual(expect.arrayContaining(['admin_note', 'package_note', 'description']));
    expect(merged.schema.properties.description.maxLength).toBe(8000);

    // The running instance stays on its version; the migration to the new one is offered, and runs.
    const instance = (await target.request('GET', `/api/instances/${runningInstanceId}`, { token: targetToken })).body;
    const offer = imported.body.instanceMigrations.find((plan: any) => plan.processKey === 'complaint_handling');
    expect(offer.from.id).toBe(instance.definitionId);
    expect(offer.movable.map((item: any) => item.instanceId)).toContain(runningInstanceId);
    const moved = await target.request('POST', '/api/definitions/complaint_handling/migrate', { token: targetToken, body: { from: offer.from.version, to: offer.to.version } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await target.request('GET', `/api/instances/${runningInstanceId}`, { token: targetToken })).body.definitionId).toBe(offer.to.id);
    const history = await target.request('GET', '/api/apps/packages/installed', { token: targetToken });
    expect(history.body).toEqual(expect.arrayContaining([expect.objectContaining({ appKey: 'key-account', version: '1.1.0' })]));
  });
});
