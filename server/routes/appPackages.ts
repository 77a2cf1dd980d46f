/**
 * App packages (engine/packages/), admins only:
 * - `GET /api/apps/:key/package?records=true` downloads the installed app as
 *   `<key>-<version>.lzapp.json` (plain JSON: readable and diffable by an admin, and the HTTP
 *   layer may compress it in transit; a file with records stays within the format's limit).
 * - `POST /api/apps/packages/preview` and `POST /api/apps/packages/import` take the file as
 *   multipart (part `file`, up to the format's size limit, held in memory: it is parsed as a
 *   whole anyway) or as a JSON body (the package itself, within the JSON body limit).
 */
import busboy from 'busboy';
import { Router, type Request } from 'express';
import { LiuzhuanError, PACKAGE_LIMITS, packageFileName, ValidationError } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';

const APP_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function tooLarge(): LiuzhuanError {
  const mb = Math.round(PACKAGE_LIMITS.maxFileBytes / 1024 / 1024);
  return new LiuzhuanError('file_too_large', `The package is larger than ${mb} MB`, 413, [{ pointer: '/file', message: `at most ${mb} MB` }]);
}

function badUpload(message: string): ValidationError {
  return new ValidationError(message, [{ pointer: '/file', message }], 'invalid_package');
}

interface Upload {
  file: unknown;
  /** An upgrade's choice per conflict id: 'ours' (keep the installed) or 'theirs' (take the package's). */
  resolutions?: Record<string, 'ours' | 'theirs'>;
}

function parseResolutions(value: unknown): Upload['resolutions'] {
  if (value === undefined) return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ValidationError('"resolutions" is not JSON', [{ pointer: '/resolutions', message: 'must be a JSON object' }]);
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length > 5000) {
    throw new ValidationError('"resolutions" must be an object of conflict id → "ours" | "theirs"', [{ pointer: '/resolutions', message: 'must be an object (at most 5000 entries)' }]);
  }
  return parsed as Upload['resolutions'];
}

/**
 * The package of a multipart upload (part `file`, optional field `resolutions`), or of a JSON
 * body: the package itself, or `{package, resolutions}`.
 */
async function receivePackage(req: Request): Promise<Upload> {
  if (!req.is('multipart/form-data')) {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Object.keys(body).length === 0) {
      throw badUpload('Send the package file as multipart/form-data (part "file") or as a JSON body');
    }
    if ('package' in body && !('format' in body)) return { file: body.package, resolutions: parseResolutions(body.resolutions) };
    return { file: body };
  }
  if (Number(req.get('content-length') ?? 0) > PACKAGE_LIMITS.maxFileBytes + 64 * 1024) throw tooLarge();
  return new Promise<Upload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: PACKAGE_LIMITS.maxFileBytes, fields: 5, parts: 6 } });
    } catch (error) {
      reject(badUpload(`Unreadable upload: ${(error as Error).message}`));
      return;
    }
    let text: Promise<string> | null = null;
    let resolutions: string | undefined;
    parser.on('field', (name, value) => {
      if (name === 'resolutions') resolutions = value;
    });
    parser.on('file', (field, stream) => {
      if (field !== 'file' || text) {
        stream.resume();
        if (!text) {
          // Handled now, answered at 'close': a rejection left without a handler until then is
          // an unhandled rejection, which ends the process (the fuzz suite's multipart with a
          // part not named "file" did).
          text = Promise.reject(badUpload('Upload one package file in the part "file"'));
          text.catch(() => undefined);
        }
        return;
      }
      text = new Promise((done, fail) => {
        const chunks: Buffer[] = [];
        let truncated = false;
        stream.on('limit', () => {
          truncated = true;
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => (truncated ? fail(tooLarge()) : done(Buffer.concat(chunks).toString('utf8'))));
        stream.on('error', fail);
      });
      text.catch(() => undefined);
    });
    parser.on('error', (error: Error) => reject(badUpload(`Unreadable upload: ${error.message}`)));
    parser.on('close', () => {
      if (!text) reject(badUpload('No file: send it in the part "file"'));
      else text.then((file) => resolve({ file, resolutions: parseResolutions(resolutions) }), reject);
    });
    req.pipe(parser);
  });
}

export function appPackageRoutes(ctx: AppContext): Router {
  const router = Router();
  const packages = ctx.engine.packages;

  router.get('/apps/:key/package', async (req, res) => {
    requireAdmin(req);
    if (!APP_KEY.test(req.params.key)) throw new ValidationError('Invalid app key', [{ pointer: 'key', message: 'letters, digits, _ . -' }]);
    const records = req.query.records;
    if (records !== undefined && records !== 'true' && records !== 'false') {
      throw new ValidationError('Invalid query parameter records', [{ pointer: 'records', message: 'true or false' }], 'invalid_query');
    }
    const pkg = await packages.exportApp(req.params.key, { records: records === 'true' });
    res.setHeader('Content-Disposition', `attachment; filename="${packageFileName(pkg).replace(/[^A-Za-z0-9_.-]/g, '_')}"`);
    res.type('application/json').send(JSON.stringify(pkg, null, 2));
  });

  router.post('/apps/packages/preview', async (req, res) => {
    const admin = requireAdmin(req);
    res.json(await packages.preview((await receivePackage(req)).file, admin));
  });

  router.post('/apps/packages/import', async (req, res) => {
    const admin = requireAdmin(req);
    const upload = await receivePackage(req);
    res.status(201).json(await packages.importPackage(upload.file, admin, upload.resolutions));
  });

  router.get('/apps/packages/installed', async (req, res) => {
    requireAdmin(req);
    res.json(await packages.installedApps());
  });

  return router;
}
