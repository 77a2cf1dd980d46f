/** Builds the express application: security headers, body limits, routes, error mapping. */
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { healthRoutes } from './routes/health.ts';

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(express.json({ limit: '2mb' }));
  app.use(cookieParser());

  const api = express.Router();
  api.use(healthRoutes(ctx));
  // ROUTES: each feature mounts its router here.
  api.use(notFoundHandler);
  app.use('/api', api);
  app.use(errorHandler);
  return app;
}
