/**
 * First-start data: the `admin` user when no user exists; with templates enabled, the
 * key-account app and (on that first start only) the demo organisation. Runs in one
 * transaction under an advisory lock, so nodes starting together on an empty database
 * create everything exactly once. Passwords are printed after commit, once.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { hashPassword } from '../engine/identity/password.ts';
import { passwordProblems } from '../engine/identity/passwordPolicy.ts';
import { addMember, findDepartmentIdByCode, insertDepartment } from '../engine/store/departments.ts';
import { countUsers, insertUser } from '../engine/store/users.ts';
import { installTemplateApp, installTemplateProcesses, installTemplateRouting } from '../templates/loader.ts';
import { firstStartDemo } from '../templates/key-account/demo/firstStart.ts';
import { installTemplatePermissions } from '../templates/permissions.ts';
import { installTemplateDashboards } from '../templates/dashboards.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { log } from './log.ts';

/**
 * Documented default for the demo accounts (templates/README.md); override with DEMO_PASSWORD.
 * It is shorter than the password policy (engine/identity/passwordPolicy.ts) allows, on
 * purpose: demo users are created here directly, never through the API, so they keep
 * working; an admin sets them real passwords (or disables them) on a real installation.
 */
export const DEFAULT_DEMO_PASSWORD = 'demo123';
const BOOTSTRAP_LOCK = 'liuzhuan.bootstrap';

interface DemoPerson {
  username: string;
  displayName: string;
}

const DEMO_DEPARTMENTS: { code: string; name: string; nameEn: string; head: DemoPerson; members: DemoPerson[] }[] = [
  {
    code: 'sales',
    name: '销售部',
    nameEn: 'Sales',
    head: { username: 'zhaoliu', displayName: '赵六' },
    members: [{ username: 'zhangsan', displayName: '张三' }],
  },
  {
    code: 'service',
    name: '客服部',
    nameEn: 'Customer service',
    head: { username: 'sunqi', displayName: '孙七' },
    members: [{ username: 'lisi', displayName: '李四' }],
  },
  {
    code: 'finance',
    name: '财务部',
    nameEn: 'Finance',
    head: { username: 'zhouba', displayName: '周八' },
    members: [{ username: 'wangwu', displayName: '王五' }],
  },
  {
    // Countersigns large contracts beside finance (contract_approval).
    code: 'legal',
    name: '法务部',
    nameEn: 'Legal',
    head: { username: 'zhengshi', displayName: '郑十' },
    members: [],
  },
  {
    // The general manager approves large contracts last (contract_approval).
    code: 'management',
    name: '总经办',
    nameEn: 'General management',
    head: { username: 'wujiu', displayName: '吴九' },
    members: [],
  },
];

async function userIdByUsername(db: Knex, username: string): Promise<string | undefined> {
  return (await db('users').where({ username }).first('id'))?.id as string | undefined;
}

/** The demo departments and their staff; existing users and departments are left alone. */
async function createDemoOrganisation(db: Knex, password: string): Promise<string[]> {
  const passwordHash = await hashPassword(password);
  const created: string[] = [];
  const ensureUser = async (person: DemoPerson) => {
    const existing = await userIdByUsername(db, person.username);
    if (existing) return existing;
    created.push(`${person.username} (${person.displayName})`);
    return insertUser(db, { ...person, passwordHash, role: 'staff' });
  };
  for (const department of DEMO_DEPARTMENTS) {
    const headId = await ensureUser(department.head);
    const departmentId =
      (await findDepartmentIdByCode(db, department.code)) ??
      (await insertDepartment(db, { code: department.code, name: department.name, nameEn: department.nameEn, headUserId: headId }));
    await addMember(db, departmentId, headId);
    for (const member of department.members) await addMember(db, departmentId, await ensureUser(member));
  }
  return created;
}

export async function bootstrapData(ctx: AppContext, config: Config): Promise<void> {
  const announcements: string[] = [];
  let demoLife = false;
  await ctx.db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [BOOTSTRAP_LOCK]);
    const firstStart = (await countUsers(trx)) === 0;

    if (firstStart) {
      if (config.adminPassword) {
        const problems = passwordProblems(config.adminPassword, 'admin', 'en');
        if (problems.length) throw new Error(`ADMIN_PASSWORD is too weak: it ${problems.join('; it ')}`);
      }
      const password = config.adminPassword ?? randomBytes(18).toString('base64url');
      await insertUser(trx, { username: 'admin', displayName: '系统管理员', role: 'admin', passwordHash: await hashPassword(password) });
      if (config.adminPassword) log.info('created the first admin user "admin" with the password from ADMIN_PASSWORD');
      else {
        announcements.push(
          `Created the first admin user "admin" with password: ${password}\n` +
            'This password is shown only once: log in and change it (PATCH /api/users/:id).',
        );
      }
    }
    if (!config.loadTemplates) return;

    const adminId = await userIdByUsername(trx, 'admin');
    const installed = await installTemplateApp(trx, 'key-account', adminId ?? null);
    if (installed.installedForms.length) {
      log.info(installed, 'installed the key-account template app');
    }
    // Demo accounts only on the very first start: a deleted demo user must not come back.
    if (firstStart) {
      const demoPassword = process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
      const created = await createDemoOrganisation(trx, demoPassword);
      if (created.length) {
        announcements.push(
          `Created demo users ${created.join(', ')} with password "${demoPassword}" ` +
            '(demo accounts: disable them, or start with LIUZHUAN_LOAD_TEMPLATES=false, on a real installation).',
        );
      }
    }
    // Routing rules name departments by code, so they are installed once those exist.
    await installTemplateRouting(trx, 'key-account');
    // Data permissions name roles, departments and demo users, so they come after those too.
    const permissions = await installTemplatePermissions(trx, 'key-account', adminId ?? null);
    if (permissions.roles.length || permissions.forms.length) log.info(permissions, 'installed the key-account data permissions');
    // Processes last: deploy checks the forms they are bound to; automations may start them.
    const processes = await installTemplateProcesses({ ...ctx.engine.deps, db: trx }, 'key-account', adminId ?? null);
    if (processes.deployed.length || processes.upgraded.length || processes.automations.length) {
      log.info(processes, 'installed the key-account processes');
    }
    // Dashboards chart the forms and processes installed above.
    const dashboards = await installTemplateDashboards(trx, 'key-account', adminId ?? null);
    if (dashboards.length) log.info({ dashboards }, 'installed the key-account dashboards');
    demoLife = firstStart && config.demoCustomers > 0;
  });
  // Demo life (templates/key-account/demo/) after the commit: it runs the engine's own commands,
  // one transaction each. A failed demo is logged, never a reason not to serve.
  if (demoLife) {
    try {
      log.info(await firstStartDemo(ctx.engine, config.demoCustomers), 'generated the demo data (LIUZHUAN_DEMO_CUSTOMERS)');
    } catch (error) {
      log.error({ err: error }, 'the demo data could not be generated');
    }
  }
  for (const line of announcements) console.log(line);
}
