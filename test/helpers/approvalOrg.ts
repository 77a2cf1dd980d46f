/**
 * An organisation for approval tests, created over the real HTTP API:
 *
 *   company (head boss)
 *   ├── sales   (head zhaoliu; zhaoliu, zhangsan)
 *   ├── finance (head zhouba;  zhouba, wangwu, lisi, gone — inactive)
 *   └── service (head sunqi;   sunqi, lisi)
 *
 * lisi is in finance and service: the first by code (finance) is their department.
 * admin2 is a second admin. Every password is `<username>-password`.
 */
import { expect } from 'vitest';
import { TEST_ADMIN_PASSWORD, type TestServer } from './server.ts';

export const STAFF = ['boss', 'zhaoliu', 'zhangsan', 'zhouba', 'wangwu', 'lisi', 'sunqi', 'gone'] as const;

export interface Org {
  tokens: Record<string, string>;
  userIds: Record<string, string>;
  as(user: string): {
    get(path: string): Promise<{ status: number; body: any }>;
    post(path: string, body?: unknown): Promise<{ status: number; body: any }>;
  };
}

export async function createOrg(t: TestServer): Promise<Org> {
  const tokens: Record<string, string> = { admin: await t.login('admin', TEST_ADMIN_PASSWORD) };
  const userIds: Record<string, string> = {};
  const post = (path: string, body: unknown, token = tokens.admin) => t.request('POST', path, { token, body });
  for (const username of [...STAFF, 'admin2']) {
    const created = await post('/api/users', {
      username,
      displayName: username,
      password: `${username}-password`,
      role: username === 'admin2' ? 'admin' : 'staff',
    });
    expect(created.status).toBe(201);
    userIds[username] = created.body.id;
  }
  const department = async (code: string, head: string, members: string[], parentId: string | null) => {
    const created = await post('/api/departments', { code, name: code, headUserId: userIds[head], parentId });
    expect(created.status).toBe(201);
    const set = await t.request('PUT', `/api/departments/${created.body.id}/members`, {
      token: tokens.admin,
      body: { userIds: members.map((name) => userIds[name]) },
    });
    expect(set.status).toBe(200);
    return created.body.id as string;
  };
  const company = await department('company', 'boss', ['boss'], null);
  await department('sales', 'zhaoliu', ['zhaoliu', 'zhangsan'], company);
  await department('finance', 'zhouba', ['zhouba', 'wangwu', 'lisi', 'gone'], company);
  await department('service', 'sunqi', ['sunqi', 'lisi'], company);
  for (const username of [...STAFF, 'admin2']) {
    if (username !== 'gone') tokens[username] = await t.login(username, `${username}-password`);
  }
  const patched = await t.request('PATCH', `/api/users/${userIds.gone}`, { token: tokens.admin, body: { active: false } });
  expect(patched.status).toBe(200);
  return {
    tokens,
    userIds,
    as: (user) => ({
      get: (path) => t.request('GET', path, { token: tokens[user] }),
      post: (path, body = {}) => t.request('POST', path, { token: tokens[user], body }),
    }),
  };
}

/** One approval node `review` (whatever `approval` says) → gateway on `approved` → ok / rejected user tasks. */
export function approvalProcess(id: string, approval: string, reviewExtras = ''): string {
  return `<process id="${id}" isExecutable="true">
    <startEvent id="s"/>
    <userTask id="review" name="审批">
      <extensionElements>${approval}${reviewExtras}</extensionElements>
    </userTask>
    <exclusiveGateway id="gw" default="gw-fix"/>
    <userTask id="archive" camunda:assignee="admin"/>
    <userTask id="fix" camunda:assignee="admin"/>
    <sequenceFlow id="s-review" sourceRef="s" targetRef="review"/>
    <sequenceFlow id="review-gw" sourceRef="review" targetRef="gw"/>
    <sequenceFlow id="gw-archive" sourceRef="gw" targetRef="archive">
      <conditionExpression xsi:type="tFormalExpression">approved = true</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="gw-fix" sourceRef="gw" targetRef="fix"/>
  </process>`;
}
