/**
 * Instance migration (admins): `GET /api/definitions/:key/migration-plan?from=&to=` lists which
 * running instances of version `from` can move to version `to` and why the others cannot;
 * `POST /api/definitions/:key/migrate {from, to, instanceIds?}` moves them (engine/packages/migrate/).
 */
import { Router } from 'express';
import { ValidationError } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';
import { bodyObject, queryString } from '../http/input.ts';
import { auditAdminChange } from './audit.ts';

const MAX_INSTANCE_IDS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function versionNumber(value: unknown, field: 'from' | 'to', where: string): number {
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw new ValidationError(`"${field}" must be a version number (1, 2, …)`, [{ pointer: `${where}${field}`, message: 'expected a positive whole number' }]);
  }
  return number;
}

function instanceIdList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ValidationError('"instanceIds" must be a list of instance ids', [{ pointer: '/instanceIds', message: 'expected an array' }]);
  if (value.length > MAX_INSTANCE_IDS) {
    throw new ValidationError(`"instanceIds" lists ${value.length} ids; at most ${MAX_INSTANCE_IDS} move in one call`, [
      { pointer: '/instanceIds', message: `at most ${MAX_INSTANCE_IDS} items` },
    ]);
  }
  value.forEach((id, index) => {
    if (typeof id !== 'string' || !UUID.test(id)) {
      throw new ValidationError(`"instanceIds" item ${index} is not an instance id`, [{ pointer: `/instanceIds/${index}`, message: 'expected a uuid' }]);
    }
  });
  return value as string[];
}

export function instanceMigrationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/definitions/:key/migration-plan', async (req, res) => {
    requireAdmin(req);
    const from = versionNumber(queryString(req.query.from, 'from'), 'from', '');
    const to = versionNumber(queryString(req.query.to, 'to'), 'to', '');
    res.json(await ctx.engine.planInstanceMigration(req.params.key, from, to));
  });

  router.post('/definitions/:key/migrate', async (req, res) => {
    const admin = requireAdmin(req);
    const body = bodyObject(req.body);
    const from = versionNumber(body.from, 'from', '/');
    const to = versionNumber(body.to, 'to', '/');
    const instanceIds = instanceIdList(body.instanceIds);
    const result = await ctx.engine.migrateInstances({ processKey: req.params.key, fromVersion: from, toVersion: to, instanceIds });
    if (result.migrated.length > 0) {
      await auditAdminChange(ctx, req, admin, 'definition.deploy', {
        op: 'migrate',
        subject: `${req.params.key} v${from} → v${to}`,
        ids: result.migrated.map((item) => item.instanceId),
      });
    }
    res.json(result);
  });

  return router;
}
