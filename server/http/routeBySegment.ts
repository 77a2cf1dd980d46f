/**
 * Hands a request under /api only to the feature routers that could answer it: those that
 * declare a route starting with the request's first path segment (`/tasks/…` → the routers
 * with a `/tasks…` route), in their mounting order. Mounted one after the other, each of the
 * thirty-odd routers tried every one of its routes' patterns against every request (about
 * 5 % of the server's CPU on the command path, by profile; docs/benchmarks.md).
 *
 * Nothing else changes: a route whose path begins with a literal segment can only match
 * requests with that first segment (matching is case-insensitive and on the raw, still
 * encoded path; the segment is compared lower-cased, so a router is never skipped that
 * would have matched). A router with anything else — a parameter, a pattern or optional
 * part in its first segment, a RegExp, a middleware without a route — is kept for every
 * request, as are all routers when the path has no first segment.
 */
import type { RequestHandler, Router } from 'express';

/** A first segment made only of characters path-to-regexp takes literally, ending the path or followed by `/`. */
const LITERAL_FIRST_SEGMENT = /^\/([A-Za-z0-9._~-]+)(?:\/|$)/;

interface StackLayer {
  route?: { path?: unknown };
}

/** The literal first segments of a router's routes (lower-cased), or null when it must see every request. */
export function firstSegmentsOf(router: RequestHandler | Router): Set<string> | null {
  const stack = (router as { stack?: StackLayer[] }).stack;
  if (!Array.isArray(stack)) return null;
  const segments = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) return null;
    const paths = Array.isArray(layer.route.path) ? (layer.route.path as unknown[]).flat(Infinity) : [layer.route.path];
    for (const path of paths) {
      const segment = typeof path === 'string' ? LITERAL_FIRST_SEGMENT.exec(path)?.[1] : undefined;
      if (!segment) return null;
      segments.add(segment.toLowerCase());
    }
  }
  return segments;
}

/** The first segment of a path (`/tasks/x` → `tasks`), lower-cased; undefined for `/` or no leading slash. */
function firstSegment(path: string): string | undefined {
  if (path[0] !== '/') return undefined;
  const end = path.indexOf('/', 1);
  const segment = end === -1 ? path.slice(1) : path.slice(1, end);
  return segment ? segment.toLowerCase() : undefined;
}

/**
 * The dispatching middleware. Its `stack` shows the routers as express shows mounted ones
 * (a layer per router, path `/`), so whatever walks the app's route table (the OpenAPI,
 * fuzz and data-permission tests) still finds every route.
 */
export function routeByFirstSegment(routers: ReadonlyArray<RequestHandler | Router>): RequestHandler & { stack: Array<{ handle: RequestHandler | Router; rawPath: string }> } {
  const declared = routers.map((router) => firstSegmentsOf(router));
  const everySegment = new Set(declared.flatMap((segments) => (segments ? [...segments] : [])));
  // Per segment, the routers to try, in mounting order; routers that see everything are in each list.
  const bySegment = new Map<string, ReadonlyArray<RequestHandler | Router>>();
  for (const segment of everySegment) bySegment.set(segment, routers.filter((_, i) => declared[i] === null || declared[i]!.has(segment)));
  const forOthers = routers.filter((_, i) => declared[i] === null);

  const dispatch: RequestHandler = (req, res, next) => {
    const segment = firstSegment(req.path);
    const candidates = segment === undefined ? routers : (bySegment.get(segment) ?? forOthers);
    let index = 0;
    // As express runs mounted routers: one that does not answer calls on to the next; an error skips the rest.
    const tryNext = (error?: unknown) => {
      if (error) return next(error);
      if (index === candidates.length) return next();
      const router = candidates[index++]!;
      router(req, res, tryNext);
    };
    tryNext();
  };
  return Object.assign(dispatch, { stack: routers.map((handle) => ({ handle, rawPath: '/' })) });
}
