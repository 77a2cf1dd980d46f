/** App packages (server/routes/appPackages.ts, engine/packages/, docs/app-packages.md). */
import { anyObject, arrayOf, bool, dateTime, int, nullable, obj, operation, pathParam, queryParam, str, type Json, type Paths } from '../builders.ts';

const partChange = obj(
  {
    key: str('Form key, process id, routing form key, automation name, template or dashboard key, role code'),
    status: { enum: ['new', 'changed', 'unchanged'] },
    installedVersion: nullable(int('Forms and processes: the version installed now')),
    fieldsAdded: arrayOf(str()),
    fieldsRemoved: arrayOf(str()),
    fieldsChanged: arrayOf(str()),
  },
  ['key', 'status'],
);
const parts = ['forms', 'workflows', 'routing', 'automations', 'messageTemplates', 'printTemplates', 'dashboards', 'roles', 'permissions'];
const location = { part: str(), key: str(), path: str('Form field, BPMN element id or rule name') };

const preview = obj(
  {
    app: obj({ key: str(), name: obj({ 'zh-CN': str(), en: str() }), description: anyObject(), version: str('Semantic version') }, ['key', 'name', 'version']),
    mode: { enum: ['install', 'upgrade', 'reinstall', 'downgrade'] },
    installedVersion: nullable(str()),
    diff: obj({ ...Object.fromEntries(parts.map((part) => [part, arrayOf(partChange)])), records: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Records per form the import adds' } }),
    merge: nullable(
      obj(
        {
          changes: arrayOf(obj({ ...location, kind: { enum: ['ours', 'theirs', 'both-same'] } })),
          conflicts: arrayOf(obj({ id: str('Resolve it by this id'), ...location, base: {}, ours: {}, theirs: {}, note: str() }, ['id', 'part', 'key', 'path'])),
        },
        ['changes', 'conflicts'],
        'An installed app: the three-way merge of its base package, the incoming one and what is installed',
      ),
    ),
    recordsIgnored: bool('An upgrade imports no records'),
    outcome: obj(
      {
        applied: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Items written per part' },
        warnings: arrayOf(str()),
        deployWarnings: arrayOf(obj({ processId: str(), message: str() })),
        redeployed: arrayOf(obj({ processId: str(), previousVersion: int(), version: int() })),
      },
      ['applied', 'warnings'],
    ),
  },
  ['app', 'mode', 'installedVersion', 'diff', 'merge', 'outcome'],
);

const upload: Json = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: obj(
        {
          file: { type: 'string', format: 'binary', description: 'The package file (.lzapp.json), at most 20 MB' },
          resolutions: str('JSON: {conflictId: "ours" | "theirs"} for an upgrade with conflicts'),
        },
        ['file'],
      ),
    },
    'application/json': { schema: anyObject('The package itself, or {package, resolutions} (within the JSON body limit)') },
  },
};

function withUpload(spec: Parameters<typeof operation>[0]): Json {
  const op = operation(spec);
  (op.responses as Json)['422'] ??= { $ref: '#/components/responses/ValidationFailed' };
  return { ...op, requestBody: upload };
}

export const appPackagePaths: Paths = {
  '/api/apps/{key}/package': {
    get: operation({
      operationId: 'exportAppPackage',
      tag: 'apps',
      summary: 'Download an installed app as a package file (<key>-<version>.lzapp.json)',
      summaryZh: '导出应用',
      description: "The app as installed now (admins' edits included): forms, processes, routing, automations, message and print templates, dashboards, data permissions; with records=true its records too.",
      admin: true,
      parameters: [pathParam('key', 'App key'), queryParam('records', 'true: include the records', { type: 'string', enum: ['true', 'false'] })],
      response: anyObject('The package (engine/packages/format.ts)'),
      errors: [404, 422],
    }),
  },
  '/api/apps/packages/preview': {
    post: withUpload({
      operationId: 'previewAppPackage',
      tag: 'apps',
      summary: 'What importing a package would add and change (an upgrade: the merge and its conflicts); writes nothing',
      summaryZh: '预览导入应用',
      admin: true,
      response: preview,
      errors: [413],
    }),
  },
  '/api/apps/packages/import': {
    post: withUpload({
      operationId: 'importAppPackage',
      tag: 'apps',
      summary: 'Import a package in one transaction; an upgrade needs a resolution for each conflict',
      summaryZh: '导入应用',
      admin: true,
      status: 201,
      response: { allOf: [preview, obj({ instanceMigrations: arrayOf(anyObject('A migration plan of running instances (GET /api/definitions/{key}/migration-plan)')) })] },
      errors: [413],
    }),
  },
  '/api/apps/packages/installed': {
    get: operation({
      operationId: 'listInstalledAppPackages',
      tag: 'apps',
      summary: 'Apps installed from packages, with their latest version',
      summaryZh: '已导入的应用包',
      admin: true,
      response: arrayOf(obj({ appKey: str(), version: str(), installedAt: dateTime() }, ['appKey', 'version', 'installedAt'])),
    }),
  },
};
