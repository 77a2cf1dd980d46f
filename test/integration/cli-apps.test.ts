/**
 * `liuzhuan export-app` and `liuzhuan import-app` (scripts/cli/commands/apps.ts) against a real
 * running server with the key-account template installed, through main() in-process as the
 * bin runs it: the export written to a file, an import refused on a non-terminal without
 * --yes (exit 2, nothing changed), then an upgrade of the exported file imported with --yes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../scripts/cli/io.ts';
import { main } from '../../scripts/cli/main.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const folder = mkdtempSync(path.join(os.tmpdir(), 'lz-cli-apps-'));
let token = '';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string; json: any }> {
  let out = '';
  let err = '';
  const io: Io = {
    argv,
    env: { PATH: process.env.PATH, HOME: folder, LANG: 'en_US.UTF-8', LIUZHUAN_CONFIG_DIR: path.join(folder, 'config'), LIUZHUAN_URL: t.url, LIUZHUAN_TOKEN: token },
    cwd: folder,
    stdin: Readable.from([]),
    out: (text) => (out += text),
    err: (text) => (err += text),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    columns: 100,
    stdoutStream: new PassThrough(),
    onInterrupt: () => () => {},
  };
  const code = await main(io);
  let json: unknown;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, out, err, json };
}

beforeAll(async () => {
  token = await t.login('admin', TEST_ADMIN_PASSWORD);
});

const installedPackages = async () => Number((await t.server.ctx.db('app_packages').count('* as n'))[0]!.n);

describe('liuzhuan export-app / import-app', () => {
  it('exports, refuses an unconfirmed import, and imports an upgrade with --yes', async () => {
    const exported = await cli(['export-app', 'key-account', '--out', 'ka.lzapp.json', '--json']);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.json).toMatchObject({ app: 'key-account', version: '1.0.0', forms: 9, workflows: 4, records: 0 });
    const pkg = JSON.parse(readFileSync(path.join(folder, 'ka.lzapp.json'), 'utf8'));
    expect(pkg.format).toBe('liuzhuan-app');

    // The publisher's 1.1.0 adds a field to the visit record.
    pkg.app.version = '1.1.0';
    pkg.forms.find((form: any) => form.key === 'visit_record').schema.properties.cli_note = { type: 'string', title: 'CLI note' };
    writeFileSync(path.join(folder, 'ka-1.1.0.lzapp.json'), JSON.stringify(pkg));

    const unconfirmed = await cli(['import-app', 'ka-1.1.0.lzapp.json']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toContain('key-account 1.1.0 (Key-account management): upgrade over 1.0.0');
    expect(unconfirmed.err).toContain('~ visit_record  (+cli_note)');
    expect(unconfirmed.err).toMatch(/add --yes/);
    expect(await installedPackages()).toBe(0);

    const imported = await cli(['import-app', 'ka-1.1.0.lzapp.json', '--yes']);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toMatch(/Imported key-account 1\.1\.0 \(upgrade\): forms 1/);
    expect(await installedPackages()).toBe(1);
    const form = await t.request('GET', '/api/forms/visit_record', { token });
    expect(Object.keys(form.body.schema.properties)).toContain('cli_note');

    // 1.0.0 over 1.1.0: a downgrade, merged like any other import (--json: the whole answer).
    const downgrade = await cli(['import-app', 'ka.lzapp.json', '--yes', '--json']);
    expect(downgrade.code, downgrade.err).toBe(0);
    expect(downgrade.json).toMatchObject({ mode: 'downgrade', installedVersion: '1.1.0', app: { version: '1.0.0' } });
    writeFileSync(path.join(folder, 'broken.lzapp.json'), '{"format": "liuzhuan-app"}');
    const broken = await cli(['import-app', 'broken.lzapp.json', '--yes']);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/Invalid app package/);
  });
});
