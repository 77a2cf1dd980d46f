/**
 * The key-account app's processes and automations, installed at bootstrap: every listed
 * `workflows/<id>.bpmn` deployed once; a later start deploys nothing again; an installed model
 * that is an earlier template version is upgraded, an admin's own redeploy is kept; the
 * template automations are installed once, by name.
 */
import { describe, expect, it } from 'vitest';
import { readTemplateApp, readWorkflowXml } from '../../templates/app.ts';
import { installTemplateProcesses } from '../../templates/loader.ts';
import { readTemplateAutomations } from '../../templates/automations.ts';
import { installTemplateWorkflows, workflowFingerprint } from '../../templates/workflows.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const listed = readTemplateApp('key-account').workflows;

async function latest(token: string, key: string) {
  const answer = await t.request('GET', `/api/definitions/${key}/latest`, { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

describe('template workflows', () => {
  it('deploys every listed process once, with the file as its XML, and installs the automations', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const { body: definitions } = await t.request('GET', '/api/definitions', { token });
    for (const key of listed) {
      expect(definitions.filter((d: any) => d.key === key).map((d: any) => d.version)).toEqual([1]);
      expect(workflowFingerprint((await latest(token, key)).xml)).toBe(workflowFingerprint(readWorkflowXml(key)));
    }
    const names = (readTemplateAutomations('key-account') as Array<{ name: string }>).map((a) => a.name);
    const { body: automations } = await t.request('GET', '/api/automations', { token });
    expect(automations.map((a: any) => a.name).sort()).toEqual([...names].sort());

    // A second start (same database) installs nothing again.
    const again = await installTemplateProcesses(t.server.ctx.engine.deps, 'key-account', null);
    expect(again).toEqual({ deployed: [], upgraded: [], automations: [] });
  });

  it('upgrades an earlier template version of a model, and keeps an admin’s own redeploy', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const key = listed[0]!;
    const file = readWorkflowXml(key);
    // As on an installation from an earlier template: the latest version is that file.
    const earlier = file.replace(/<process id="([^"]+)" name="([^"]+)"/, '<process id="$1" name="$2（旧版）"');
    expect(earlier).not.toBe(file);
    expect((await t.request('POST', '/api/definitions', { token, body: { xml: earlier } })).status).toBe(201);
    const before = (await latest(token, key)).version;

    const deps = t.server.ctx.engine.deps;
    const upgraded = await installTemplateWorkflows(deps, 'key-account', null, { [key]: [workflowFingerprint(earlier)] });
    expect(upgraded).toEqual({ deployed: [], upgraded: [key] });
    const now = await latest(token, key);
    expect(now.version).toBe(before + 1);
    expect(workflowFingerprint(now.xml)).toBe(workflowFingerprint(file));

    // An admin redeploys their own change: the template leaves it, even with the old fingerprint listed.
    const own = file.replace(/<process id="([^"]+)" name="([^"]+)"/, '<process id="$1" name="$2（我们的）"');
    expect((await t.request('POST', '/api/definitions', { token, body: { xml: own } })).status).toBe(201);
    const kept = await installTemplateWorkflows(deps, 'key-account', null, { [key]: [workflowFingerprint(earlier)] });
    expect(kept).toEqual({ deployed: [], upgraded: [] });
    expect((await latest(token, key)).xml).toBe(own);
  });
});
