/**
 * `POST /api/apps/:app/tiering/run` (admins): recompute the app's customer tiers (ABC) and RFM
 * scores now and write them to the customer records; answers the counts per tier. The same
 * run happens daily as a job (engine/tiering/job.ts). 404 for an app without tiering.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';

export function tieringRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/apps/:app/tiering/run', async (req, res) => {
    const actor = requireAdmin(req);
    res.json(await ctx.engine.runTiering({ app: String(req.params.app), actor }));
  });

  return router;
}
