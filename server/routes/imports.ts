/**
 * Record imports under `/api/forms/:key/imports` (engine/imports/) and the .xlsx export of a
 * form's records. The upload is multipart (one `file` part, .xlsx or .csv), streamed by busboy
 * to a temporary file — never held in memory — and refused with 413 beyond MAX_IMPORT_BYTES.
 * The temporary file lives on this node's disk until the import ends: `start` must reach the
 * node that took the upload (one node, or sticky sessions).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { Router, type Request } from 'express';
import { LiuzhuanError, MAX_IMPORT_BYTES, ValidationError, type AuthUser } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

const UPLOAD_DIR = path.join(os.tmpdir(), 'liuzhuan-imports');

function tooLarge(en: boolean): LiuzhuanError {
  const mb = Math.round(MAX_IMPORT_BYTES / 1024 / 1024);
  return new LiuzhuanError('file_too_large', en ? `The file is larger than ${mb} MB: split it` : `文件超过 ${mb} MB，请拆分后再导入`, 413, [
    { pointer: '/file', message: en ? `at most ${mb} MB` : `最大 ${mb} MB` },
  ]);
}

function badUpload(en: boolean, message: string, zh: string): ValidationError {
  const text = en ? message : zh;
  return new ValidationError(text, [{ pointer: '/file', message: text }], 'invalid_import_file');
}

/** Streams the request's `file` part to a temporary file: its path, name and type. */
async function receiveFile(req: Request, en: boolean): Promise<{ path: string; fileName: string; fileType: 'xlsx' | 'csv' }> {
  if (!req.is('multipart/form-data')) throw badUpload(en, 'Send the file as multipart/form-data, in a part named "file"', '请以 multipart/form-data 上传，文件字段名为 file');
  if (Number(req.get('content-length') ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) throw tooLarge(en);
  await mkdir(UPLOAD_DIR, { recursive: true });
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: MAX_IMPORT_BYTES, fields: 5, parts: 6 } });
    } catch (error) {
      reject(badUpload(en, `Unreadable upload: ${(error as Error).message}`, `无法读取上传内容：${(error as Error).message}`));
      return;
    }
    let received: Promise<{ path: string; fileName: string; fileType: 'xlsx' | 'csv' }> | null = null;
    parser.on('file', (field, stream, info) => {
      const extension = path.extname(info.filename ?? '').toLowerCase();
      if (field !== 'file' || received || (extension !== '.xlsx' && extension !== '.csv')) {
        stream.resume();
        if (!received) {
          received = Promise.reject(badUpload(en, 'Upload one .xlsx or .csv file in the part "file"', '请上传一个 .xlsx 或 .csv 文件（字段名 file）'));
          // Handled now, answered at 'close' (an unhandled rejection until then ends the process).
          received.catch(() => undefined);
        }
        return;
      }
      const target = path.join(UPLOAD_DIR, `${randomUUID()}${extension}`);
      let truncated = false;
      stream.on('limit', () => {
        truncated = true;
      });
      received = pipeline(stream, createWriteStream(target)).then(async () => {
        if (truncated) {
          await rm(target, { force: true });
          throw tooLarge(en);
        }
        return { path: target, fileName: path.basename(info.filename ?? 'upload'), fileType: extension === '.xlsx' ? 'xlsx' : 'csv' } as const;
      });
      received.catch(() => rm(target, { force: true }));
    });
    parser.on('error', (error: Error) => reject(badUpload(en, `Unreadable upload: ${error.message}`, `无法读取上传内容：${error.message}`)));
    parser.on('close', () => {
      if (!received) reject(badUpload(en, 'No file: send it in the part "file"', '没有文件：请在 file 字段中上传'));
      else received.then(resolve, reject);
    });
    req.pipe(parser);
  });
}

export function importRoutes(ctx: AppContext): Router {
  const router = Router();
  const imports = ctx.engine.imports;

  router.post('/forms/:key/imports', async (req, res) => {
    const user: AuthUser = requireUser(req);
    const locale = messageLocale(req);
    // Refuse before reading a byte when the caller may not import here.
    await imports.assertMayImport(user, req.params.key);
    const file = await receiveFile(req, locale === 'en');
    res.status(201).json(await imports.create({ formKey: req.params.key, user, locale, ...file }));
  });

  router.get('/forms/:key/imports/:id', async (req, res) => {
    res.json(await imports.get(req.params.key, req.params.id, requireUser(req), messageLocale(req)));
  });

  router.post('/forms/:key/imports/:id/preview', async (req, res) => {
    res.json(await imports.preview(req.params.key, req.params.id, requireUser(req), messageLocale(req), req.body));
  });

  router.post('/forms/:key/imports/:id/start', async (req, res) => {
    res.status(202).json(await imports.start(req.params.key, req.params.id, requireUser(req), messageLocale(req), req.body, req.ip ?? null));
  });

  router.post('/forms/:key/imports/:id/cancel', async (req, res) => {
    res.json(await imports.cancel(req.params.key, req.params.id, requireUser(req), messageLocale(req)));
  });

  router.get('/forms/:key/imports/:id/report', async (req, res) => {
    const user = requireUser(req);
    const locale = messageLocale(req);
    // Checked before the first byte, so a refusal is still a JSON error.
    await imports.get(req.params.key, req.params.id, user, locale);
    res.setHeader('Content-Disposition', `attachment; filename="import-report-${req.params.id.replace(/[^A-Za-z0-9-]/g, '_')}.xlsx"`);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await imports.report(req.params.key, req.params.id, user, res, locale);
  });

  // Mounted before recordRoutes, whose `records/:id` would take "export.xlsx" for an id.
  router.get('/forms/:key/records/export.xlsx', async (req, res) => {
    const params = [...new URL(req.originalUrl, 'http://localhost').searchParams];
    const name = `${req.params.key}-${new Date().toISOString().slice(0, 10)}.xlsx`.replace(/[^A-Za-z0-9_.-]/g, '_');
    await imports.exportXlsx(requireUser(req), req.params.key, params, res, {
      ip: req.ip ?? null,
      begin: ({ truncated }) => {
        res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
        if (truncated) res.setHeader('X-Export-Truncated', 'true');
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      },
    });
  });

  return router;
}
