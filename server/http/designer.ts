/**
 * Serves the built designer (designer/dist) at `/`: hashed assets with a long cache, and
 * index.html for every other GET outside `/api` and `/socket.io`, so the browser's router
 * owns deep links such as `/tasks/<id>`. Without a build, `/` explains how to make one.
 */
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DESIGNER_DIST = fileURLToPath(new URL('../../designer/dist', import.meta.url));

export function designerRoutes(dist = DESIGNER_DIST): Router {
  const router = Router();
  const index = join(dist, 'index.html');
  router.use('/assets', express.static(join(dist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(dist, { index: false }));
  // A public link's page (/p/<token>) is for the person it was sent to: never in a search index.
  router.get(/^\/p\//, (_req, res, next) => {
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    next();
  });
  router.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The designer is not built yet: run `npm run build:designer` (npm start does it for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
