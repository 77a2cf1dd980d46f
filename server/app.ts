/** Builds the express application: security headers, body limits, routes, error mapping. */
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { TrustProxy } from './config.ts';
import type { AppContext } from './context.ts';
import { authenticate } from './http/auth.ts';
import { forgetSessionsAfterIdentityWrites } from './http/identityWrites.ts';
import { securityHeaders } from './http/contentSecurity.ts';
import { requireJsonBodies, requireSameOriginWrites } from './http/csrf.ts';
import { designerRoutes } from './http/designer.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { limitJsonDepth } from './http/jsonDepth.ts';
import { refuseUnstorableText } from './http/textSafety.ts';
import { routeByFirstSegment } from './http/routeBySegment.ts';
import { authRoutes } from './routes/auth.ts';
import { chartRoutes } from './routes/charts.ts';
import { dashboardRoutes } from './routes/dashboards.ts';
import { heatmapRoutes } from './routes/heatmap.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { auditRoutes } from './routes/audit.ts';
import { automationRoutes } from './routes/automations.ts';
import { departmentRoutes } from './routes/departments.ts';
import { definitionRoutes } from './routes/definitions.ts';
import { instanceMigrationRoutes } from './routes/instanceMigration.ts';
import { formRoutes } from './routes/forms.ts';
import { flowFormRoutes } from './routes/flowForms.ts';
import { healthRoutes } from './routes/health.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { instanceRoutes } from './routes/instances.ts';
import { instanceListRoutes } from './routes/instanceList.ts';
import { appRoutes } from './routes/apps.ts';
import { appPackageRoutes } from './routes/appPackages.ts';
import { jobRoutes } from './routes/jobs.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { printingRoutes } from './routes/printing.ts';
import { publicLinkRoutes } from './routes/publicLinks.ts';
import { queueRoutes } from './routes/queues.ts';
import { recordRoutes } from './routes/records.ts';
import { importRoutes } from './routes/imports.ts';
import { accessRoutes } from './routes/access.ts';
import { roleRoutes } from './routes/roles.ts';
import { routingRoutes } from './routes/routing.ts';
import { taskRoutes } from './routes/tasks.ts';
import { tieringRoutes } from './routes/tiering.ts';
import { userRoutes } from './routes/users.ts';
import { HOOK_PATH, RAW_BODY, webhookRoutes } from './routes/webhooks.ts';

/** What the HTTP layer takes from the configuration (server/config.ts). */
export interface WebOptions {
  trustProxy: TrustProxy;
  allowedOrigins: readonly string[];
}

export function createApp(ctx: AppContext, web: WebOptions = { trustProxy: false, allowedOrigins: [] }): Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* only from a proxy the admin named (LIUZHUAN_TRUST_PROXY).
  app.set('trust proxy', web.trustProxy);
  app.use(securityHeaders());
  app.use(
    express.json({
      limit: '2mb',
      // Incoming hooks may be signed over the raw body (server/routes/webhooks.ts): keep those bytes.
      verify: (req, _res, buf) => {
        if (HOOK_PATH.test(req.url ?? '')) (req as unknown as Record<symbol, Buffer>)[RAW_BODY] = buf;
      },
    }),
  );
  app.use(limitJsonDepth());
  app.use(cookieParser());
  app.use(refuseUnstorableText);

  const api = express.Router();
  api.use(requireJsonBodies);
  api.use(requireSameOriginWrites(web));
  // Public routes, before authentication; dispatched like the feature routers below.
  api.use(routeByFirstSegment([healthRoutes(ctx), openApiRoutes(ctx)]));
  // Sets req.user from a bearer token or the session cookie; each route decides what it needs.
  api.use(authenticate(ctx));
  api.use(forgetSessionsAfterIdentityWrites(() => ctx.identityChanged()));
  // ROUTES: each feature mounts its router here. In this order: a request is handed to the
  // routers with a route for its first path segment (server/http/routeBySegment.ts).
  api.use(
    routeByFirstSegment([
      authRoutes(ctx),
      userRoutes(ctx),
      departmentRoutes(ctx),
      formRoutes(ctx),
      // Before recordRoutes: `records/export.xlsx` is not a record id.
      importRoutes(ctx),
      recordRoutes(ctx),
      accessRoutes(ctx),
      roleRoutes(ctx),
      flowFormRoutes(ctx),
      definitionRoutes(ctx),
      instanceMigrationRoutes(ctx),
      instanceRoutes(ctx),
      instanceListRoutes(ctx),
      // Before appRoutes: `apps/packages/...` is not an app key.
      appPackageRoutes(ctx),
      appRoutes(ctx),
      tieringRoutes(ctx),
      taskRoutes(ctx),
      jobRoutes(ctx),
      routingRoutes(ctx),
      queueRoutes(ctx),
      inboxRoutes(ctx),
      notificationRoutes(ctx),
      printingRoutes(ctx),
      automationRoutes(ctx),
      publicLinkRoutes(ctx),
      dashboardRoutes(ctx),
      chartRoutes(ctx),
      heatmapRoutes(ctx),
      privacyRoutes(ctx),
      auditRoutes(ctx),
      webhookRoutes(ctx),
    ]),
  );
  api.use(notFoundHandler);
  app.use('/api', api);
  app.use(designerRoutes());
  app.use(errorHandler);
  return app;
}
