/** Process definitions: deploy BPMN XML, list versions, read the XML back (for the viewer). */
import { Router } from 'express';
import { NotFoundError } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { bodyObject, queryString, requiredString } from '../http/input.ts';
import { auditAdminChange } from './audit.ts';

export function definitionRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/definitions', async (req, res) => {
    const admin = requireAdmin(req);
    const xml = requiredString(bodyObject(req.body), 'xml');
    const { definitions, warnings } = await ctx.engine.deploy(xml, admin.id);
    const [first] = definitions;
    await auditAdminChange(ctx, req, admin, 'definition.deploy', {
      op: 'deploy',
      subject: definitions.map((d) => `${d.key} v${d.version}`).join(', '),
      ids: definitions.map((d) => d.id),
    });
    res.status(201).json({ ...first, definitions, warnings });
  });

  router.get('/definitions', async (req, res) => {
    requireUser(req);
    const latest = queryString(req.query.latest, 'latest') === 'true';
    res.json(await ctx.engine.listDefinitions(latest));
  });

  router.get('/definitions/:id/xml', async (req, res) => {
    requireUser(req);
    const xml = await ctx.engine.definitionXml(req.params.id);
    if (xml === null) throw new NotFoundError(`Definition ${req.params.id} does not exist`);
    res.type('application/xml').send(xml);
  });

  // The latest version of a key with its XML: the bpmn-js viewer draws it; `formKey` is the
  // form it is bound to (flow forms), if any.
  router.get('/definitions/:key/latest', async (req, res) => {
    requireUser(req);
    const definition = await ctx.engine.latestDefinition(req.params.key);
    if (!definition) throw new NotFoundError(`No process definition with key "${req.params.key}"`);
    const { id, key, version, name, deployedAt, process } = definition;
    res.json({ id, key, version, name, deployedAt, formKey: process.formKey ?? null, xml: await ctx.engine.definitionXml(id) });
  });

  return router;
}
