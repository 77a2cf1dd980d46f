/**
 * The route table of the running app, read from express's router (as the OpenAPI and
 * data-permissions tests do), so the fuzz and authorization suites cover a route the moment
 * it is mounted: a route they hold no declaration for fails them.
 */
import type { Express } from 'express';
import { createApp } from '../../../server/app.ts';
import type { AppContext } from '../../../server/context.ts';

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

function walk(stack: Layer[], prefix: string, out: string[]): string[] {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${prefix}${String(path)}`);
        }
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      walk(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''), out);
    }
  }
  return out;
}

/** `METHOD /api/path/:param` of every API route the app serves (built the way the server builds it). */
export function apiRoutes(ctx: AppContext): string[] {
  const app = createApp(ctx) as Express & { router?: { stack: Layer[] } };
  const routes = walk(app.router!.stack, '', []).filter((route) => route.split(' ')[1]!.startsWith('/api/'));
  // Guards the walk itself: a router layout it no longer reads must not pass vacuously.
  if (!routes.includes('POST /api/tasks/:id/complete') || routes.length < 60) {
    throw new Error(`the route walk found ${routes.length} routes: has express changed its router layout?`);
  }
  return [...new Set(routes)];
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function writeRoutes(ctx: AppContext): string[] {
  return apiRoutes(ctx).filter((route) => WRITE_METHODS.has(route.split(' ')[0]!));
}

/** `/api/forms/:key/records/:id` with `{key: 'a', id: 'b'}` → `/api/forms/a/records/b`; values are used as given (already encoded). */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${template}`);
    return value;
  });
}
