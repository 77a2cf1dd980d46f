/** Builds the express application: security headers, body limits, routes, error mapping. */
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context.ts';
import { authenticate } from './http/auth.ts';
import { designerRoutes } from './http/designer.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { authRoutes } from './routes/auth.ts';
import { automationRoutes } from './routes/automations.ts';
import { departmentRoutes } from './routes/departments.ts';
import { definitionRoutes } from './routes/definitions.ts';
import { formRoutes } from './routes/forms.ts';
import { flowFormRoutes } from './routes/flowForms.ts';
import { healthRoutes } from './routes/health.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { instanceRoutes } from './routes/instances.ts';
import { instanceListRoutes } from './routes/instanceList.ts';
import { appRoutes } from './routes/apps.ts';
import { jobRoutes } from './routes/jobs.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { printingRoutes } from './routes/printing.ts';
import { queueRoutes } from './routes/queues.ts';
import { recordRoutes } from './routes/records.ts';
import { routingRoutes } from './routes/routing.ts';
import { taskRoutes } from './routes/tasks.ts';
import { userRoutes } from './routes/users.ts';

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(express.json({ limit: '2mb' }));
  app.use(cookieParser());

  const api = express.Router();
  api.use(healthRoutes(ctx));
  api.use(openApiRoutes(ctx));
  // Sets req.user from a bearer token or the session cookie; each route decides what it needs.
  api.use(authenticate(ctx));
  // ROUTES: each feature mounts its router here.
  api.use(authRoutes(ctx));
  api.use(userRoutes(ctx));
  api.use(departmentRoutes(ctx));
  api.use(formRoutes(ctx));
  api.use(recordRoutes(ctx));
  api.use(flowFormRoutes(ctx));
  api.use(definitionRoutes(ctx));
  api.use(instanceRoutes(ctx));
  api.use(instanceListRoutes(ctx));
  api.use(appRoutes(ctx));
  api.use(taskRoutes(ctx));
  api.use(jobRoutes(ctx));
  api.use(routingRoutes(ctx));
  api.use(queueRoutes(ctx));
  api.use(inboxRoutes(ctx));
  api.use(notificationRoutes(ctx));
  api.use(printingRoutes(ctx));
  api.use(automationRoutes(ctx));
  api.use(notFoundHandler);
  app.use('/api', api);
  app.use(designerRoutes());
  app.use(errorHandler);
  return app;
}
