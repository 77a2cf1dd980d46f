/** `GET /api/openapi.json` (public): the OpenAPI 3.1 document of the whole API (server/openapi/). */
import { Router } from 'express';
import { openApiDocument } from '../openapi/document.ts';
import type { AppContext } from '../context.ts';

export function openApiRoutes(ctx: AppContext): Router {
  const router = Router();
  // Built once: the document only changes with a deploy.
  const body = JSON.stringify(openApiDocument(ctx.version));
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
