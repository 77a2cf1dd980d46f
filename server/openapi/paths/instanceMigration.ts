/** Instance migration between versions of a process (server/routes/instanceMigration.ts). */
import { arrayOf, bool, int, nullable, obj, operation, pathParam, queryParam, str, uuid, type Json, type Paths } from '../builders.ts';

const processKey = pathParam('key', 'Process key (BPMN process id)');
const version = (description: string): Json => int(description, { minimum: 1 });
const versionRef = obj({ id: uuid(), version: int() }, ['id', 'version']);
const candidate = {
  instanceId: uuid(),
  businessKey: nullable(str()),
  waitingAt: arrayOf(str(), 'Flow nodes its tokens wait at'),
};

export const instanceMigrationPaths: Paths = {
  '/api/definitions/{key}/migration-plan': {
    get: operation({
      operationId: 'planInstanceMigration',
      tag: 'definitions',
      summary: 'Which running instances of one version can move to a later version, and why the others cannot',
      summaryZh: '流程实例迁移计划',
      description:
        'An instance can move when every element its tokens are at (tasks, catch events, joins, sub-process and multi-instance scopes) and every timer, job and subscription it holds exists in the new version with the same type, scope and event, by element id. At most 1,000 running instances are planned (oldest first; `truncated` says when there are more).',
      admin: true,
      parameters: [
        processKey,
        { ...queryParam('from', 'The version the instances run on', { type: 'integer', minimum: 1 }), required: true },
        { ...queryParam('to', 'The later version to move them to', { type: 'integer', minimum: 1 }), required: true },
      ],
      response: obj(
        {
          processKey: str(),
          from: versionRef,
          to: versionRef,
          movable: arrayOf(obj(candidate, ['instanceId', 'businessKey', 'waitingAt'])),
          notMovable: arrayOf(
            obj({ ...candidate, reasons: arrayOf(str(), "e.g. \"waits at 'approve_manager' which the new version does not have\"") }, [
              'instanceId',
              'businessKey',
              'waitingAt',
              'reasons',
            ]),
          ),
          truncated: bool('More than 1,000 running instances: only the oldest were planned'),
        },
        ['processKey', 'from', 'to', 'movable', 'notMovable', 'truncated'],
      ),
      errors: [404, 422],
    }),
  },
  '/api/definitions/{key}/migrate': {
    post: operation({
      operationId: 'migrateInstances',
      tag: 'definitions',
      summary: 'Move running instances of one version to a later version',
      summaryZh: '迁移流程实例',
      description:
        'Each instance moves in its own transaction, checked again under its lock: one that changed since the plan (or that another migration moved first) is listed in `skipped` with its reasons. Without `instanceIds`, every movable running instance of `from` moves (at most 1,000 per call, `truncated` when more remain).',
      admin: true,
      parameters: [processKey],
      body: obj(
        {
          from: version('The version the instances run on'),
          to: version('The later version to move them to'),
          instanceIds: arrayOf(uuid(), 'Only these instances (at most 1,000)'),
        },
        ['from', 'to'],
      ),
      response: obj(
        {
          from: versionRef,
          to: versionRef,
          migrated: arrayOf(obj({ instanceId: uuid() }, ['instanceId'])),
          skipped: arrayOf(obj({ instanceId: uuid(), reasons: arrayOf(str()) }, ['instanceId', 'reasons'])),
          truncated: bool('More running instances of `from` remain: call again'),
        },
        ['from', 'to', 'migrated', 'skipped', 'truncated'],
      ),
      errors: [404],
    }),
  },
};
